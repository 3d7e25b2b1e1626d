/** draftPostmortem over in-memory ports: drafting, redrafting, lost races, and what ops are handed. */
import { EMPTY_SECTIONS } from '../../../src/domain/postmortem';
import { draftPostmortemFacts } from '../../../src/domain/postmortem-draft';
import { presentPostmortemJson, renderPostmortemMarkdown } from '../../../src/domain/postmortem-markdown';
import { formatDuration } from '../../../src/domain/time-format';
import { presentIncident } from '../../../src/presenters/incident.presenter';
import { draftPostmortem } from '../../../src/use-cases/draft-postmortem';
import { at, makeAlert } from '../../helpers/alerts';
import { objectId } from '../../helpers/memory-stores';
import {
  INCIDENT_ID,
  INCIDENT_URL,
  LATER,
  PUBLIC_URL,
  postmortemWorld,
  TIMEZONE,
} from '../../helpers/postmortem-world';
import { actionItem } from '../../helpers/postmortems';

const draft = (w: ReturnType<typeof postmortemWorld>) => draftPostmortem(w.draftDeps, INCIDENT_ID);
const eventsSent = (w: ReturnType<typeof postmortemWorld>) =>
  w.messages.map((m) => [m.message.event, m.revision]);

describe('draftPostmortem', () => {
  it('when the incident does not exist, then it is missing and nothing is drafted or sent', async () => {
    const w = postmortemWorld();
    expect(await draftPostmortem(w.draftDeps, objectId(7))).toEqual({ kind: 'missing' });
    expect(await w.postmortems.find(objectId(7))).toBeNull();
    expect(w.messages).toEqual([]);
  });

  it('when the incident is still open, then nothing is drafted or sent', async () => {
    const w = postmortemWorld();
    await w.ingest(makeAlert({ transition: 'triggered', at: at('10:00') }));
    expect(await draft(w)).toEqual({ kind: 'not_resolved' });
    expect(await w.postmortems.find(INCIDENT_ID)).toBeNull();
    expect(w.messages).toEqual([]);
  });

  it('when a resolved incident has no postmortem, then a draft is written from its facts', async () => {
    const w = postmortemWorld();
    const incident = await w.resolvedIncident();
    const outcome = await draft(w);
    const stored = await w.postmortems.find(INCIDENT_ID);
    expect(outcome).toEqual({ kind: 'drafted', postmortem: stored });
    expect(stored).toMatchObject({
      incidentId: INCIDENT_ID,
      status: 'draft',
      version: 1,
      draftedAt: new Date(LATER),
      updatedAt: new Date(LATER),
      publishedAt: null,
    });
    expect(stored?.facts).toEqual(
      draftPostmortemFacts(incident, { timezone: TIMEZONE, incidentUrl: INCIDENT_URL }),
    );
  });

  it('when the draft is written, then ops are told the incident resolved and handed the draft, at its resolution', async () => {
    const w = postmortemWorld();
    const incident = await w.resolvedIncident();
    await w.actionItems.insert(actionItem({ id: 'a1', task: 'Add a smoke test', incidentId: INCIDENT_ID }));
    const { postmortem } = (await draft(w)) as { postmortem: NonNullable<unknown> } & Awaited<
      ReturnType<typeof draft>
    >;
    const stored = (await w.postmortems.find(INCIDENT_ID))!;
    const items = await w.actionItems.listForIncident(INCIDENT_ID);
    expect(postmortem).toEqual(stored);
    expect(w.messages).toEqual([
      {
        message: {
          event: 'incident.resolved',
          subjectId: INCIDENT_ID,
          title: 'Resolved: High error rate on web',
          text: `High error rate on web resolved after ${formatDuration(1800)}.`,
          url: INCIDENT_URL,
          data: { incident: presentIncident(incident, PUBLIC_URL) },
        },
        revision: 1,
      },
      {
        message: {
          event: 'postmortem.drafted',
          subjectId: INCIDENT_ID,
          title: 'Postmortem draft: High error rate on web',
          text: `${stored.facts.issueSummary}\nThe draft is ready for root cause, impact, lessons and action items.`,
          url: `${INCIDENT_URL}/postmortem`,
          data: {
            incident: presentIncident(incident, PUBLIC_URL),
            postmortem: presentPostmortemJson(stored, items),
            markdown: renderPostmortemMarkdown(stored, items),
          },
        },
        revision: 1,
      },
    ]);
    expect(renderPostmortemMarkdown(stored, items)).toContain('Add a smoke test');
  });

  it('when the job runs again for the same resolution, then nothing changes and the same messages are handed again', async () => {
    const w = postmortemWorld();
    await w.resolvedIncident();
    await draft(w);
    const first = await w.postmortems.find(INCIDENT_ID);
    expect(await draft(w)).toEqual({ kind: 'unchanged', postmortem: first });
    expect(await w.postmortems.find(INCIDENT_ID)).toEqual(first);
    expect(w.messages.slice(2)).toEqual(w.messages.slice(0, 2));
  });

  it('when the incident resolved again, then the facts are redrawn and what people wrote is kept', async () => {
    const w = postmortemWorld();
    await w.resolvedIncident();
    await draft(w);
    const drafted = (await w.postmortems.find(INCIDENT_ID))!;
    const written = { ...drafted.sections, resolution: 'rolled back' };
    await w.postmortems.saveChange({ ...drafted, sections: written, status: 'in_review', version: 2 });
    const incident = await w.resolveAgain();
    const outcome = await draft(w);
    const stored = (await w.postmortems.find(INCIDENT_ID))!;
    expect(outcome).toEqual({ kind: 'updated', postmortem: stored });
    expect(stored).toMatchObject({
      version: 3,
      status: 'in_review',
      sections: written,
      draftedAt: new Date(LATER),
    });
    expect(stored.facts).toEqual(
      draftPostmortemFacts(incident, { timezone: TIMEZONE, incidentUrl: INCIDENT_URL }),
    );
    expect(stored.facts.resolutionCount).toBe(2);
    expect(eventsSent(w).slice(2)).toEqual([
      ['incident.resolved', 2],
      ['postmortem.drafted', 2],
    ]);
  });

  describe('when a late alert shows the incident never resolved', () => {
    /** Drafted at 10:30, then web-2's trigger of 10:10 arrives: it is still firing, so the incident never resolved. */
    async function unresolvedAfterDraft(w: ReturnType<typeof postmortemWorld>) {
      await w.resolvedIncident();
      await draft(w);
      await w.ingest(makeAlert({ transition: 'triggered', at: at('10:10'), scope: 'host:web-2' }));
      const incident = (await w.incidents.findById(INCIDENT_ID))!;
      expect([incident.status, incident.resolutionCount]).toEqual(['open', 0]);
      return incident;
    }

    it('and nobody worked on the draft, then it is withdrawn', async () => {
      const w = postmortemWorld();
      await unresolvedAfterDraft(w);
      const sent = w.messages.length;
      expect(await draft(w)).toEqual({ kind: 'withdrawn' });
      expect(await w.postmortems.find(INCIDENT_ID)).toBeNull();
      expect(w.messages).toHaveLength(sent);
      // Run again: nothing left to withdraw.
      expect(await draft(w)).toEqual({ kind: 'not_resolved' });
    });

    it('and someone wrote in it, or it has an action item, then it stays', async () => {
      const written = postmortemWorld();
      await unresolvedAfterDraft(written);
      const drafted = (await written.postmortems.find(INCIDENT_ID))!;
      const sections = { ...drafted.sections, resolution: 'rolled back' };
      await written.postmortems.saveChange({ ...drafted, sections, version: drafted.version + 1 });
      expect(await draft(written)).toEqual({ kind: 'not_resolved' });
      expect((await written.postmortems.find(INCIDENT_ID))?.sections.resolution).toBe('rolled back');

      const planned = postmortemWorld();
      await unresolvedAfterDraft(planned);
      await planned.actionItems.insert(
        actionItem({ id: 'a1', task: 'Add a smoke test', incidentId: INCIDENT_ID }),
      );
      expect(await draft(planned)).toEqual({ kind: 'not_resolved' });
      expect(await planned.postmortems.find(INCIDENT_ID)).not.toBeNull();
    });

    it('and it resolves later, then a new draft is made for that resolution', async () => {
      const w = postmortemWorld();
      await unresolvedAfterDraft(w);
      await draft(w);
      await w.ingest(makeAlert({ transition: 'recovered', at: at('10:35'), scope: 'host:web-2' }));
      const outcome = await draft(w);
      expect(outcome).toMatchObject({ kind: 'drafted', postmortem: { facts: { resolutionCount: 1 } } });
      const stored = (await w.postmortems.find(INCIDENT_ID))!;
      expect(stored.facts.resolvedAt).toEqual(new Date(at('10:35')));
    });
  });

  it('when another worker drafts first, then the insert conflict is retried and finds its draft unchanged', async () => {
    const w = postmortemWorld();
    await w.resolvedIncident();
    w.postmortems.beforeNext('insert', () => draft(w));
    const outcome = await draft(w);
    expect(w.postmortems.lostWrites).toBe(1);
    expect(outcome).toEqual({ kind: 'unchanged', postmortem: await w.postmortems.find(INCIDENT_ID) });
    expect(outcome).toMatchObject({ postmortem: { version: 1 } });
    expect(eventsSent(w)).toEqual([
      ['incident.resolved', 1],
      ['postmortem.drafted', 1],
      ['incident.resolved', 1],
      ['postmortem.drafted', 1],
    ]);
  });

  it('when someone edits the draft while it is redrawn, then the change is retried on their version', async () => {
    const w = postmortemWorld();
    await w.resolvedIncident();
    await draft(w);
    await w.resolveAgain();
    w.postmortems.beforeNext('saveChange', async () => {
      const current = (await w.postmortems.find(INCIDENT_ID))!;
      const sections = { ...current.sections, incidentLead: 'alice' };
      await w.postmortems.saveChange({ ...current, sections, version: current.version + 1 });
    });
    const outcome = await draft(w);
    expect(w.postmortems.lostWrites).toBe(1);
    const stored = (await w.postmortems.find(INCIDENT_ID))!;
    expect(outcome).toEqual({ kind: 'updated', postmortem: stored });
    expect(stored.version).toBe(3);
    expect(stored.sections.incidentLead).toBe('alice');
    expect(stored.facts.resolutionCount).toBe(2);
  });

  it('when 19 changes in a row lose, then the 20th round writes; when 20 lose, then the job fails to be retried', async () => {
    const w = postmortemWorld();
    await w.resolvedIncident();
    await draft(w);
    await w.resolveAgain();
    w.postmortems.loseNext('saveChange', 19);
    expect(await draft(w)).toMatchObject({ kind: 'updated', postmortem: { version: 21 } });

    const v = postmortemWorld();
    await v.resolvedIncident();
    await draftPostmortem(v.draftDeps, INCIDENT_ID);
    await v.resolveAgain();
    v.postmortems.loseNext('saveChange', 20);
    await expect(draftPostmortem(v.draftDeps, INCIDENT_ID)).rejects.toThrow(
      `postmortem of ${INCIDENT_ID}: too many concurrent changes; the job will be retried`,
    );
    expect((await v.postmortems.find(INCIDENT_ID))?.facts.resolutionCount).toBe(1);
  });

  it('when targets take only some events, then only those messages are handed over', async () => {
    const w = postmortemWorld();
    await w.resolvedIncident();
    w.subscribed.delete('postmortem.drafted');
    await draft(w);
    w.subscribed.clear();
    w.subscribed.add('postmortem.drafted');
    await draft(w);
    w.subscribed.clear();
    await draft(w);
    expect(eventsSent(w)).toEqual([
      ['incident.resolved', 1],
      ['postmortem.drafted', 1],
    ]);
  });

  it('when the postmortem was drawn for another resolution than the incident has, then nothing is sent', async () => {
    const w = postmortemWorld();
    const incident = await w.resolvedIncident();
    const facts = draftPostmortemFacts(incident, { timezone: TIMEZONE, incidentUrl: INCIDENT_URL });
    await w.postmortems.insert({
      incidentId: INCIDENT_ID,
      status: 'draft',
      facts: { ...facts, resolutionCount: 2 },
      sections: structuredClone(EMPTY_SECTIONS),
      version: 1,
      draftedAt: new Date(LATER),
      updatedAt: new Date(LATER),
      publishedAt: null,
    });
    expect(await draft(w)).toMatchObject({ kind: 'unchanged', postmortem: { version: 1 } });
    expect(w.messages).toEqual([]);
  });
});
