/** Notes and acknowledgements on an incident, retried on lost races, and reflected in its drafted postmortem. */
import { draftPostmortemFacts } from '../../../src/domain/postmortem-draft';
import { InvalidStateError, NotFoundError } from '../../../src/errors';
import {
  acknowledgeIncident,
  addIncidentNote,
  INCIDENT_NOTE_LIMIT,
} from '../../../src/use-cases/annotate-incident';
import { draftPostmortem } from '../../../src/use-cases/draft-postmortem';
import { at, makeAlert } from '../../helpers/alerts';
import { objectId } from '../../helpers/memory-stores';
import {
  INCIDENT_ID,
  INCIDENT_URL,
  LATER,
  postmortemWorld,
  TIMEZONE,
  type PostmortemWorld,
} from '../../helpers/postmortem-world';

const NOTE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function withDraft(): Promise<PostmortemWorld> {
  const w = postmortemWorld();
  await w.resolvedIncident();
  await draftPostmortem(w.draftDeps, INCIDENT_ID);
  return w;
}

const factsOf = async (w: PostmortemWorld) =>
  draftPostmortemFacts((await w.incidents.findById(INCIDENT_ID))!, {
    timezone: TIMEZONE,
    incidentUrl: INCIDENT_URL,
  });

describe('addIncidentNote and acknowledgeIncident', () => {
  it('when an incident has as many notes as it takes, then one more is refused with a 409 and nothing changes', async () => {
    const w = postmortemWorld();
    await w.resolvedIncident();
    for (let i = 0; i < INCIDENT_NOTE_LIMIT; i += 1)
      await addIncidentNote(w.annotateDeps, INCIDENT_ID, { author: 'alice', text: `note ${i}` });
    const full = await w.incidents.findById(INCIDENT_ID);
    expect(full!.notes).toHaveLength(INCIDENT_NOTE_LIMIT);
    const refused = addIncidentNote(w.annotateDeps, INCIDENT_ID, { author: 'alice', text: 'one more' });
    await expect(refused).rejects.toBeInstanceOf(InvalidStateError);
    await expect(refused).rejects.toMatchObject({ status: 409 });
    expect(await w.incidents.findById(INCIDENT_ID)).toEqual(full);
  });

  it('when a note is added, then it is on the incident and its timeline, written now unless dated', async () => {
    const w = postmortemWorld();
    const before = await w.resolvedIncident();
    const noted = await addIncidentNote(w.annotateDeps, INCIDENT_ID, {
      author: 'alice',
      text: 'rolled back',
    });
    expect(noted.notes).toEqual([
      {
        id: expect.stringMatching(NOTE_ID),
        author: 'alice',
        text: 'rolled back',
        at: new Date(LATER),
        receivedAt: new Date(LATER),
      },
    ]);
    expect(noted).toMatchObject({ version: before.version + 1, updatedAt: new Date(LATER) });
    expect(noted.timeline.at(-1)).toMatchObject({ kind: 'note', message: 'alice: rolled back' });
    expect(await w.incidents.findById(INCIDENT_ID)).toEqual(noted);

    const dated = await addIncidentNote(w.annotateDeps, INCIDENT_ID, {
      author: 'bob',
      text: 'paged',
      at: new Date(at('10:10')),
    });
    expect(dated.notes[1]).toMatchObject({ at: new Date(at('10:10')), receivedAt: new Date(LATER) });
    expect(dated.version).toBe(before.version + 2);
  });

  it('when someone acknowledges, then once per person, and again changes nothing', async () => {
    const w = postmortemWorld();
    const before = await w.resolvedIncident();
    const acked = await acknowledgeIncident(w.annotateDeps, INCIDENT_ID, 'alice', new Date(at('10:05')));
    expect(acked.acknowledgements).toEqual([
      { by: 'alice', at: new Date(at('10:05')), receivedAt: new Date(LATER) },
    ]);
    expect(acked.version).toBe(before.version + 1);
    const again = await acknowledgeIncident(w.annotateDeps, INCIDENT_ID, 'alice');
    expect(again).toEqual(acked);
    expect(await w.incidents.findById(INCIDENT_ID)).toEqual(acked);
    const bob = await acknowledgeIncident(w.annotateDeps, INCIDENT_ID, 'bob');
    expect(bob.acknowledgements.map((a) => [a.by, a.at])).toEqual([
      ['alice', new Date(at('10:05'))],
      ['bob', new Date(LATER)],
    ]);
  });

  it('when the incident does not exist, then notes and acknowledgements are not found', async () => {
    const w = postmortemWorld();
    await expect(addIncidentNote(w.annotateDeps, objectId(3), { author: 'a', text: 't' })).rejects.toThrow(
      new NotFoundError('incident'),
    );
    await expect(acknowledgeIncident(w.annotateDeps, objectId(3), 'a')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('when another change lands first, then the note is added to it on a re-read', async () => {
    const w = postmortemWorld();
    const before = await w.resolvedIncident();
    w.incidents.beforeNext('saveChange', () => acknowledgeIncident(w.annotateDeps, INCIDENT_ID, 'bob'));
    const noted = await addIncidentNote(w.annotateDeps, INCIDENT_ID, {
      author: 'alice',
      text: 'rolled back',
    });
    expect(w.incidents.lostWrites).toBe(1);
    expect(noted.acknowledgements.map((a) => a.by)).toEqual(['bob']);
    expect(noted.notes.map((n) => n.text)).toEqual(['rolled back']);
    expect(noted.version).toBe(before.version + 2);
    expect(await w.incidents.findById(INCIDENT_ID)).toEqual(noted);
  });

  it('when a new alert lands first, then the acknowledgement is added to the incident with it', async () => {
    const w = postmortemWorld();
    await w.ingest(makeAlert({ transition: 'triggered', at: at('10:00') }));
    const r = makeAlert({ transition: 'recovered', at: at('10:30') });
    w.incidents.beforeNext('saveChange', () => w.ingest(r));
    const acked = await acknowledgeIncident(w.annotateDeps, INCIDENT_ID, 'alice');
    expect(acked.events.map((e) => e.eventId)).toContain(r.eventId);
    expect(acked).toMatchObject({ status: 'resolved', version: 2 });
  });

  it('when 19 changes in a row lose, then the 20th writes; when 20 lose, then it gives up', async () => {
    const w = postmortemWorld();
    await w.resolvedIncident();
    w.incidents.loseNext('saveChange', 19);
    expect((await acknowledgeIncident(w.annotateDeps, INCIDENT_ID, 'alice')).acknowledgements).toHaveLength(
      1,
    );
    w.incidents.loseNext('saveChange', 20);
    await expect(addIncidentNote(w.annotateDeps, INCIDENT_ID, { author: 'a', text: 't' })).rejects.toThrow(
      `incident ${INCIDENT_ID}: too many concurrent changes`,
    );
    expect((await w.incidents.findById(INCIDENT_ID))?.notes).toEqual([]);
  });
});

describe('the drafted postmortem follows notes and acknowledgements', () => {
  it('when a resolved incident with a draft is acknowledged, then the facts are redrawn and what people wrote is kept', async () => {
    const w = await withDraft();
    const drafted = (await w.postmortems.find(INCIDENT_ID))!;
    const sections = { ...drafted.sections, resolution: 'rolled back' };
    await w.postmortems.saveChange({ ...drafted, sections, version: 2 });
    await acknowledgeIncident(w.annotateDeps, INCIDENT_ID, 'alice', new Date(at('10:05')));
    const stored = (await w.postmortems.find(INCIDENT_ID))!;
    expect(stored).toEqual({
      ...drafted,
      sections,
      facts: await factsOf(w),
      version: 3,
      updatedAt: new Date(LATER),
    });
    expect(stored.facts.figures.timeToAcknowledgeSeconds).toBe(300);
  });

  it('when the change to the incident was nothing, then the draft is not touched', async () => {
    const w = await withDraft();
    await acknowledgeIncident(w.annotateDeps, INCIDENT_ID, 'alice');
    const after = await w.postmortems.find(INCIDENT_ID);
    await acknowledgeIncident(w.annotateDeps, INCIDENT_ID, 'alice');
    expect(await w.postmortems.find(INCIDENT_ID)).toEqual(after);
    expect(after?.version).toBe(2);
  });

  it('when the incident has reopened, then its draft is left as it is', async () => {
    const w = await withDraft();
    await w.ingest(makeAlert({ transition: 'triggered', at: at('10:40') }));
    const drafted = await w.postmortems.find(INCIDENT_ID);
    await addIncidentNote(w.annotateDeps, INCIDENT_ID, { author: 'alice', text: 'again' });
    expect(await w.postmortems.find(INCIDENT_ID)).toEqual(drafted);
  });

  it('when the draft was drawn for a later resolution than the incident has, then it is left as it is', async () => {
    const w = await withDraft();
    const drafted = (await w.postmortems.find(INCIDENT_ID))!;
    const ahead = { ...drafted, facts: { ...drafted.facts, resolutionCount: 2 }, version: 2 };
    await w.postmortems.saveChange(ahead);
    await addIncidentNote(w.annotateDeps, INCIDENT_ID, { author: 'alice', text: 'late' });
    expect(await w.postmortems.find(INCIDENT_ID)).toEqual(ahead);
  });

  it('when the incident has no draft, then none is made', async () => {
    const w = postmortemWorld();
    await w.resolvedIncident();
    await addIncidentNote(w.annotateDeps, INCIDENT_ID, { author: 'alice', text: 'x' });
    expect(await w.postmortems.find(INCIDENT_ID)).toBeNull();
  });

  it('when someone edits the draft while its facts are redrawn, then the redraw is retried on their version', async () => {
    const w = await withDraft();
    w.postmortems.beforeNext('saveChange', async () => {
      const current = (await w.postmortems.find(INCIDENT_ID))!;
      const sections = { ...current.sections, incidentLead: 'bob' };
      await w.postmortems.saveChange({ ...current, sections, version: current.version + 1 });
    });
    await addIncidentNote(w.annotateDeps, INCIDENT_ID, { author: 'alice', text: 'rolled back' });
    const stored = (await w.postmortems.find(INCIDENT_ID))!;
    expect(w.postmortems.lostWrites).toBe(1);
    expect(stored).toMatchObject({ version: 3, sections: { incidentLead: 'bob' } });
    expect(stored.facts).toEqual(await factsOf(w));
  });

  it('when redrawing the draft loses 20 times, then the note stands and the draft keeps its facts', async () => {
    const w = await withDraft();
    const facts = (await w.postmortems.find(INCIDENT_ID))!.facts;
    w.postmortems.loseNext('saveChange', 20);
    const noted = await addIncidentNote(w.annotateDeps, INCIDENT_ID, { author: 'alice', text: 'x' });
    expect(noted.notes).toHaveLength(1);
    expect((await w.postmortems.find(INCIDENT_ID))?.facts).toEqual(facts);
    expect(w.postmortems.lostWrites).toBe(20);
  });
});
