/** scheduleNotification: one delivery per subscribed target, idempotent per (message, revision), then queued. */
import type { NotifyTarget } from '../../../config/targets';
import { renderForTarget, type NotificationMessage } from '../../../src/domain/notification-messages';
import { deliveryIdOf, scheduleNotification, subscribersOf } from '../../../src/use-cases/notify';
import { fixedClock, MemoryDeliveryStore, MemoryNotificationQueue } from '../../helpers/memory-stores';

const NOW = '2026-06-14T12:00:00.000Z';
const target = (id: string, type: NotifyTarget['type'], events: NotifyTarget['events']): NotifyTarget => ({
  id,
  type,
  url: `https://hooks.example.com/${id}`,
  events,
  headers: {},
});
const TARGETS = [
  target('ops-slack', 'slack', ['incident.opened', 'postmortem.drafted']),
  target('audit', 'webhook', ['postmortem.drafted', 'action_items.overdue']),
  target('pager', 'webhook', ['incident.opened']),
];
const drafted: NotificationMessage = {
  event: 'postmortem.drafted',
  subjectId: '0000000000000000000000a1',
  title: 'Postmortem draft: High error rate on web',
  text: 'From 10:00 to 10:30 UTC ...',
  url: 'https://hindsight.example.com/api/incidents/0000000000000000000000a1/postmortem.md',
  data: { markdown: '# Postmortem' },
};

function notifier(targets: readonly NotifyTarget[] = TARGETS) {
  const deliveries = new MemoryDeliveryStore();
  const queue = new MemoryNotificationQueue();
  const deps = { targets, deliveries, queue, now: fixedClock(NOW) };
  return {
    deliveries,
    queue,
    schedule: (message: NotificationMessage, revision: number) =>
      scheduleNotification(deps, message, revision),
  };
}

describe('scheduleNotification', () => {
  it('when a message is scheduled, then each subscribed target gets a pending delivery, queued by id', async () => {
    const n = notifier();
    const ids = await n.schedule(drafted, 1);
    expect(ids).toEqual([
      'postmortem.drafted|0000000000000000000000a1|1|ops-slack',
      'postmortem.drafted|0000000000000000000000a1|1|audit',
    ]);
    expect(n.queue.batches).toEqual([ids]);
    expect(n.deliveries.all()).toEqual([
      {
        id: ids[0],
        targetId: 'ops-slack',
        event: 'postmortem.drafted',
        subjectId: drafted.subjectId,
        revision: 1,
        incidentId: drafted.subjectId,
        body: JSON.stringify(renderForTarget('slack', drafted, new Date(NOW))),
        status: 'pending',
        attempts: 0,
        lastError: null,
        lastStatusCode: null,
        createdAt: new Date(NOW),
        updatedAt: new Date(NOW),
        deliveredAt: null,
      },
      expect.objectContaining({
        id: ids[1],
        targetId: 'audit',
        body: JSON.stringify(renderForTarget('webhook', drafted, new Date(NOW))),
      }),
    ]);
    expect(JSON.parse(n.deliveries.all()[1]!.body)).toMatchObject({ sentAt: NOW, markdown: '# Postmortem' });
  });

  it('when the same message and revision are scheduled again, then no delivery is added and the same ids are queued', async () => {
    const n = notifier();
    const first = await n.schedule(drafted, 1);
    await n.deliveries.markDelivered(first[0]!, { statusCode: 200, at: new Date(NOW) });
    const again = await n.schedule({ ...drafted, text: 'changed meanwhile' }, 1);
    expect(again).toEqual(first);
    expect(n.deliveries.all()).toHaveLength(2);
    expect(await n.deliveries.findById(first[0]!)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(JSON.parse((await n.deliveries.findById(first[1]!))!.body)).toMatchObject({
      text: drafted.text,
    });
    expect(n.queue.batches).toEqual([first, first]);
  });

  it('when a new revision is scheduled, then it makes new deliveries beside the old ones', async () => {
    const n = notifier();
    await n.schedule(drafted, 1);
    const second = await n.schedule(drafted, 2);
    expect(second.map((id) => id.split('|')[2])).toEqual(['2', '2']);
    expect(n.deliveries.all().map((d) => d.revision)).toEqual([1, 1, 2, 2]);
  });

  it('when no target takes the event, then nothing is created or queued', async () => {
    const n = notifier([target('pager', 'webhook', ['incident.opened'])]);
    expect(await n.schedule(drafted, 1)).toEqual([]);
    expect(n.deliveries.all()).toEqual([]);
    expect(n.queue.batches).toEqual([]);
  });

  it('when the message is about no one incident, then its deliveries name no incident', async () => {
    const n = notifier();
    const digest = { ...drafted, event: 'action_items.overdue' as const, subjectId: 'daily:2026-06-14' };
    expect(await n.schedule(digest, 0)).toEqual(['action_items.overdue|daily:2026-06-14|0|audit']);
    expect(n.deliveries.all().map((d) => d.incidentId)).toEqual([null]);
  });

  it.each(['', 'has space', 'a/b', 'x'.repeat(101), 'é'])(
    'when the subjectId is %j, then it is refused before anything is written',
    async (subjectId) => {
      const n = notifier();
      await expect(n.schedule({ ...drafted, subjectId }, 1)).rejects.toThrow(
        'notification subjectId must match /^[A-Za-z0-9_.:-]{1,100}$/',
      );
      expect(n.deliveries.all()).toEqual([]);
      expect(n.queue.batches).toEqual([]);
    },
  );

  it('when the subjectId is 100 of the allowed characters, then it is taken', async () => {
    const n = notifier();
    const subjectId = `${'A-z_.:0'.repeat(14)}ab`;
    expect(await n.schedule({ ...drafted, subjectId }, 1)).toHaveLength(2);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])(
    'when the revision is %p, then it is refused before anything is written',
    async (revision) => {
      const n = notifier();
      await expect(n.schedule(drafted, revision)).rejects.toThrow(
        'notification revision must be a non-negative integer',
      );
      expect(n.deliveries.all()).toEqual([]);
    },
  );

  it('when the revision is 0 or the largest safe integer, then it is taken', async () => {
    const n = notifier();
    expect(await n.schedule(drafted, 0)).toHaveLength(2);
    expect(await n.schedule(drafted, Number.MAX_SAFE_INTEGER)).toHaveLength(2);
  });
});

describe('deliveryIdOf and subscribersOf', () => {
  it('when a delivery id is made, then it names the event, subject, revision and target', () => {
    expect(deliveryIdOf({ event: 'incident.opened', subjectId: 'abc' }, 3, 'ops')).toBe(
      'incident.opened|abc|3|ops',
    );
  });

  it('when targets are filtered by event, then those taking it come, in their order', () => {
    expect(subscribersOf(TARGETS, 'incident.opened').map((t) => t.id)).toEqual(['ops-slack', 'pager']);
    expect(subscribersOf(TARGETS, 'incident.resolved')).toEqual([]);
  });
});
