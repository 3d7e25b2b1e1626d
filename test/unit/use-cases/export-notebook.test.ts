/**
 * DD_EXPORT_NOTEBOOKS over in-memory ports and an in-memory Datadog: publishing queues the export before the
 * publication is saved, and the export makes one notebook per incident once the publication is seen.
 */
import { DatadogApiError, type DatadogFailure } from '../../../src/enrichment/datadog.port';
import { draftPostmortem } from '../../../src/use-cases/draft-postmortem';
import { createActionItem, updatePostmortem } from '../../../src/use-cases/edit-postmortem';
import {
  PublicationNotSavedError,
  exportNotebook,
  type ExportNotebookDeps,
} from '../../../src/use-cases/export-notebook';
import { INCIDENT_ID, postmortemWorld } from '../../helpers/postmortem-world';

const NOTEBOOK = { data: { id: 9876543, type: 'notebooks' } };

async function published() {
  const w = postmortemWorld();
  await w.resolvedIncident();
  await draftPostmortem(w.draftDeps, INCIDENT_ID);
  const editDeps = w.editDeps;
  await createActionItem(editDeps, INCIDENT_ID, { task: 'Lint hrefs', owner: 'bob', deadline: '2026-07-01' });
  const edit = { status: 'published' as const, sections: { rootCause: { human: 'rushed change' } } };
  const next = await updatePostmortem(editDeps, INCIDENT_ID, 1, edit);
  return { w, version: next.version };
}

function exportWorld(w: ReturnType<typeof postmortemWorld>, ...answers: unknown[]) {
  const bodies: unknown[] = [];
  const deps: ExportNotebookDeps = {
    datadog: {
      createNotebook: (body: unknown) => {
        bodies.push(body);
        const answer = answers.length > 1 ? answers.shift() : answers[0];
        if (answer !== null && typeof answer === 'object' && 'kind' in answer)
          return Promise.reject(new DatadogApiError('createNotebook', answer as DatadogFailure));
        return Promise.resolve(answer);
      },
    },
    enrichments: w.enrichments,
    postmortems: w.postmortems,
    actionItems: w.actionItems,
    site: 'datadoghq.eu',
    now: () => new Date('2026-06-15T09:00:00Z'),
  };
  return { deps, bodies };
}

describe('publishing with notebook export on', () => {
  it('when a postmortem is published, then the export is queued with the published version before it is saved', async () => {
    const queued: { incidentId: string; version: number; savedYet: boolean }[] = [];
    const world = postmortemWorld();
    await world.resolvedIncident();
    await draftPostmortem(world.draftDeps, INCIDENT_ID);
    const hook = async (p: { incidentId: string; version: number }) => {
      const current = await world.postmortems.find(INCIDENT_ID);
      queued.push({ ...p, savedYet: current?.status === 'published' });
    };
    const editDeps = { ...world.editDeps, beforePublish: hook };
    await createActionItem(editDeps, INCIDENT_ID, {
      task: 'Lint hrefs',
      owner: 'bob',
      deadline: '2026-07-01',
    });
    await updatePostmortem(editDeps, INCIDENT_ID, 1, {
      status: 'in_review',
      sections: { rootCause: { human: 'x' } },
    });
    expect(queued).toEqual([]);
    const next = await updatePostmortem(editDeps, INCIDENT_ID, 2, { status: 'published' });
    expect(queued).toEqual([{ incidentId: INCIDENT_ID, version: next.version, savedYet: false }]);
  });

  it('when queueing the export fails, then the publication is not saved', async () => {
    const w = postmortemWorld();
    await w.resolvedIncident();
    await draftPostmortem(w.draftDeps, INCIDENT_ID);
    const editDeps = {
      ...w.editDeps,
      beforePublish: () => Promise.reject(new Error('the enrichment queue is unreachable; retry later')),
    };
    await createActionItem(editDeps, INCIDENT_ID, {
      task: 'Lint hrefs',
      owner: 'bob',
      deadline: '2026-07-01',
    });
    const edit = { status: 'published' as const, sections: { rootCause: { human: 'rushed change' } } };
    await expect(updatePostmortem(editDeps, INCIDENT_ID, 1, edit)).rejects.toThrow('unreachable');
    expect(await w.postmortems.find(INCIDENT_ID)).toMatchObject({ status: 'draft', version: 1 });
  });
});

describe('exportNotebook', () => {
  it('when the postmortem is published, then one notebook of type postmortem is made and its link kept', async () => {
    const { w, version } = await published();
    const e = exportWorld(w, NOTEBOOK);
    expect(await exportNotebook(e.deps, INCIDENT_ID, version)).toEqual({
      kind: 'exported',
      url: 'https://app.datadoghq.eu/notebook/9876543',
    });
    expect(e.bodies).toHaveLength(1);
    expect(e.bodies[0]).toMatchObject({
      data: {
        type: 'notebooks',
        attributes: { name: 'Postmortem: High error rate on web', metadata: { type: 'postmortem' } },
      },
    });
    const cells = (
      e.bodies[0] as { data: { attributes: { cells: { attributes: { definition: { text: string } } }[] } } }
    ).data.attributes.cells;
    expect(cells[0]!.attributes.definition.text).toContain('rushed change');
    expect((await w.enrichments.find(INCIDENT_ID)).notebook).toEqual({
      id: '9876543',
      url: 'https://app.datadoghq.eu/notebook/9876543',
      at: new Date('2026-06-15T09:00:00Z'),
    });
    // Published again (or the job run again): no second notebook.
    expect(await exportNotebook(e.deps, INCIDENT_ID, version)).toEqual({ kind: 'already_exported' });
    expect(e.bodies).toHaveLength(1);
  });

  it('when the publication is not saved yet, then the job is told to retry; when it was never published, nothing is made', async () => {
    const w = postmortemWorld();
    await w.resolvedIncident();
    await draftPostmortem(w.draftDeps, INCIDENT_ID);
    const e = exportWorld(w, NOTEBOOK);
    await expect(exportNotebook(e.deps, INCIDENT_ID, 2)).rejects.toBeInstanceOf(PublicationNotSavedError);
    expect(await exportNotebook(e.deps, INCIDENT_ID, 1)).toEqual({ kind: 'not_published' });
    expect(await exportNotebook(e.deps, '0123456789abcdef01234567', 1)).toEqual({ kind: 'missing' });
    expect(e.bodies).toEqual([]);
  });

  it('when Datadog refuses for good or answers no id, then the problem is recorded once; when it is down, it is thrown', async () => {
    const forbidden = await published();
    const f = exportWorld(forbidden.w, { kind: 'forbidden', permission: 'notebooks_write' });
    expect(await exportNotebook(f.deps, INCIDENT_ID, forbidden.version)).toMatchObject({
      kind: 'problem',
      first: true,
      problem: {
        call: 'createNotebook',
        message: 'forbidden: the application key lacks the notebooks_write permission',
      },
    });
    expect(await exportNotebook(f.deps, INCIDENT_ID, forbidden.version)).toMatchObject({ first: false });

    const noId = await published();
    const n = exportWorld(noId.w, { data: { id: 'x' } });
    expect(await exportNotebook(n.deps, INCIDENT_ID, noId.version)).toMatchObject({
      problem: { message: "Datadog's answer names no notebook id" },
    });
    expect((await noId.w.enrichments.find(INCIDENT_ID)).notebook).toBeNull();

    const down = await published();
    const d = exportWorld(down.w, { kind: 'unavailable', detail: 'HTTP 503' });
    await expect(exportNotebook(d.deps, INCIDENT_ID, down.version)).rejects.toBeInstanceOf(DatadogApiError);
    expect((await down.w.enrichments.find(INCIDENT_ID)).problems).toEqual([]);
  });
});
