import { ALERT_JOB_OPTIONS } from '../../src/queue/alert-publisher';
import { ENRICHMENT_JOB_OPTIONS } from '../../src/queue/enrichment-publisher';
import { HANDSHAKE_JOB_OPTIONS } from '../../src/queue/handshake-publisher';
import { notificationJobOptions } from '../../src/queue/notification-publisher';
import { DRAFT_JOB_OPTIONS } from '../../src/queue/postmortem-publisher';
import { postmortemDraftJobId, postmortemDraftJobSchema, sourceHandshakeJobId } from '../../src/queue/jobs';

const incidentId = '6b11ad3a7412b4e2966ff49e';

describe('postmortem.draft jobs', () => {
  test('when an incident is resolved in the write that created it (version 0), then its job is well-formed', () => {
    expect(
      postmortemDraftJobSchema.safeParse({ incidentId, resolutionCount: 1, incidentVersion: 0 }).success,
    ).toBe(true);
  });

  test('when a job was queued before versions were (no incidentVersion), then it is still read', () => {
    expect(postmortemDraftJobSchema.parse({ incidentId, resolutionCount: 2 })).toEqual({
      incidentId,
      resolutionCount: 2,
    });
  });

  test.each([
    [{ incidentId, resolutionCount: 0 }],
    [{ incidentId, resolutionCount: 1, incidentVersion: -1 }],
    [{ incidentId, resolutionCount: 1, incidentVersion: 1.5 }],
    [{ incidentId: 'not-an-id', resolutionCount: 1 }],
  ])('when a job is %j, then it is malformed', (data) => {
    expect(postmortemDraftJobSchema.safeParse(data).success).toBe(false);
  });

  test('when the same resolution is queued at the same version, then the id is the same; at another version or resolution, another', () => {
    const id = postmortemDraftJobId({ incidentId, resolutionCount: 1, incidentVersion: 4 });
    expect(id).toBe(`draft-${incidentId}-1-v4`);
    expect(postmortemDraftJobId({ incidentId, resolutionCount: 1, incidentVersion: 4 })).toBe(id);
    expect(postmortemDraftJobId({ incidentId, resolutionCount: 1, incidentVersion: 5 })).not.toBe(id);
    expect(postmortemDraftJobId({ incidentId, resolutionCount: 2, incidentVersion: 4 })).not.toBe(id);
    expect(postmortemDraftJobId({ incidentId, resolutionCount: 1 })).toBe(`draft-${incidentId}-1`);
  });
});

describe('source.handshake jobs', () => {
  test('when the same URL of a source is queued again, then the id is the same, and never the URL itself', () => {
    const url = 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=t0k3n';
    const id = sourceHandshakeJobId({ source: 'cloudwatch', url });
    expect(id).toMatch(/^[0-9a-f]{40}$/);
    expect(sourceHandshakeJobId({ source: 'cloudwatch', url })).toBe(id);
    expect(sourceHandshakeJobId({ source: 'cloudwatch', url: `${url}x` })).not.toBe(id);
    expect(sourceHandshakeJobId({ source: 'other', url })).not.toBe(id);
  });
});

describe('what each queue keeps in Redis', () => {
  it('when jobs complete or fail, then each queue keeps a bounded number of them, whatever a storm brings', () => {
    const kept = {
      alerts: ALERT_JOB_OPTIONS,
      drafts: DRAFT_JOB_OPTIONS,
      notifications: notificationJobOptions({ attempts: 5, backoffMs: 1000 }),
      enrichment: ENRICHMENT_JOB_OPTIONS,
      handshakes: HANDSHAKE_JOB_OPTIONS,
    };
    const bound = (option: boolean | { count?: number }) =>
      option === true ? 0 : option === false ? Infinity : (option.count ?? Infinity);
    for (const [queue, options] of Object.entries(kept)) {
      expect([queue, bound(options.removeOnComplete) <= 100_000]).toEqual([queue, true]);
      expect([queue, bound(options.removeOnFail) <= 10_000]).toEqual([queue, true]);
    }
  });
});
