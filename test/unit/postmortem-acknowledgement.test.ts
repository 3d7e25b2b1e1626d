/** The postmortem's time to acknowledge counts from detection to the first person who acknowledged. */
import { acknowledge } from '../../src/domain/incident-building';
import { draftPostmortemFacts } from '../../src/domain/postmortem-draft';
import { BUILT_AT, REFERENCE_URL, referenceIncident } from '../helpers/postmortems';

describe('draftPostmortemFacts: time to acknowledge', () => {
  it('when a second person acknowledges later, then the time still counts to the first acknowledgement', () => {
    const later = {
      by: 'bob',
      at: new Date('2019-06-28T17:50:00Z'),
      receivedAt: new Date('2019-06-28T17:50:00Z'),
    };
    const incident = acknowledge(referenceIncident(), later, BUILT_AT);
    const facts = draftPostmortemFacts(incident, { timezone: 'UTC', incidentUrl: REFERENCE_URL });
    // Detected 17:26:00 UTC, alice acknowledged 17:31:00 UTC.
    expect(facts.figures.timeToAcknowledgeSeconds).toBe(5 * 60);
  });

  it('when the later acknowledgement was recorded first, then the time counts to the earlier one', () => {
    const incident = referenceIncident();
    const earlier = {
      by: 'carol',
      at: new Date('2019-06-28T17:28:00Z'),
      receivedAt: new Date('2019-06-28T17:28:00Z'),
    };
    const facts = draftPostmortemFacts(acknowledge(incident, earlier, BUILT_AT), {
      timezone: 'UTC',
      incidentUrl: REFERENCE_URL,
    });
    // Detected 17:26:00 UTC, carol acknowledged 17:28:00 UTC (alice's 17:31 was recorded before).
    expect(facts.figures.timeToAcknowledgeSeconds).toBe(2 * 60);
  });
});
