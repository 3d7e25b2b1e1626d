/** The edits on-call make to a drafted postmortem and its action items, each naming the version it was made on. */
import { MISSING_ACTION_ITEM, MISSING_ROOT_CAUSE } from '../../../src/domain/postmortem-draft';
import { NotFoundError, UnprocessableError, VersionConflictError } from '../../../src/errors';
import { draftPostmortem } from '../../../src/use-cases/draft-postmortem';
import {
  createActionItem,
  deleteActionItem,
  loadPostmortem,
  updateActionItem,
  updatePostmortem,
} from '../../../src/use-cases/edit-postmortem';
import { objectId } from '../../helpers/memory-stores';
import { INCIDENT_ID, LATER, postmortemWorld } from '../../helpers/postmortem-world';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function drafted() {
  const w = postmortemWorld();
  await w.resolvedIncident();
  await draftPostmortem(w.draftDeps, INCIDENT_ID);
  return w;
}

function conflictAt(currentVersion: number) {
  return { status: 409, code: 'version_conflict', details: { currentVersion } };
}

describe('updatePostmortem', () => {
  it('when the incident has no postmortem yet, then it is not found', async () => {
    const w = postmortemWorld();
    await expect(loadPostmortem(w.editDeps, INCIDENT_ID)).rejects.toThrow(
      new NotFoundError('postmortem (it is drafted when the incident resolves)'),
    );
    await expect(updatePostmortem(w.editDeps, INCIDENT_ID, 1, {})).rejects.toMatchObject({ status: 404 });
  });

  it('when the edit names the current version, then the sections are patched and the version moves on', async () => {
    const w = await drafted();
    const before = await loadPostmortem(w.editDeps, INCIDENT_ID);
    const next = await updatePostmortem(w.editDeps, INCIDENT_ID, 1, {
      sections: { rootCause: { technical: 'a bad header' }, resolution: 'rolled back' },
    });
    expect(next).toEqual({
      ...before,
      sections: {
        ...before.sections,
        rootCause: { ...before.sections.rootCause, technical: 'a bad header' },
        resolution: 'rolled back',
      },
      version: 2,
      updatedAt: new Date(LATER),
    });
    expect(await w.postmortems.find(INCIDENT_ID)).toEqual(next);
  });

  it('when the edit names an older version, then it is a conflict naming the current one, and nothing is written', async () => {
    const w = await drafted();
    await updatePostmortem(w.editDeps, INCIDENT_ID, 1, { status: 'in_review' });
    const error = await updatePostmortem(w.editDeps, INCIDENT_ID, 1, { status: 'draft' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject(conflictAt(2));
    expect(await w.postmortems.find(INCIDENT_ID)).toMatchObject({ status: 'in_review', version: 2 });
  });

  it('when publishing without root cause or assigned action item, then it is refused with what is missing', async () => {
    const w = await drafted();
    const error = await updatePostmortem(w.editDeps, INCIDENT_ID, 1, { status: 'published' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnprocessableError);
    expect(error).toMatchObject({
      status: 422,
      code: 'not_publishable',
      message: `cannot publish yet: ${MISSING_ROOT_CAUSE}; ${MISSING_ACTION_ITEM}`,
      details: { missing: [MISSING_ROOT_CAUSE, MISSING_ACTION_ITEM] },
    });
    expect(await w.postmortems.find(INCIDENT_ID)).toMatchObject({ status: 'draft', version: 1 });
  });

  it('when publishing writes the root cause in the same edit, then only the action item is missing', async () => {
    const w = await drafted();
    const edit = { status: 'published' as const, sections: { rootCause: { process: 'no review' } } };
    await expect(updatePostmortem(w.editDeps, INCIDENT_ID, 1, edit)).rejects.toMatchObject({
      details: { missing: [MISSING_ACTION_ITEM] },
    });
  });

  it('when the postmortem is complete, then it is published now', async () => {
    const w = await drafted();
    await createActionItem(w.editDeps, INCIDENT_ID, {
      task: 'Lint hrefs',
      owner: 'bob',
      deadline: '2026-07-01',
    });
    const edit = { status: 'published' as const, sections: { rootCause: { human: 'rushed change' } } };
    const next = await updatePostmortem(w.editDeps, INCIDENT_ID, 1, edit);
    expect(next).toMatchObject({ status: 'published', publishedAt: new Date(LATER), version: 2 });
    expect(await w.postmortems.find(INCIDENT_ID)).toEqual(next);
  });

  it('when someone else writes between the read and the write, then it is a conflict naming their version', async () => {
    const w = await drafted();
    w.postmortems.beforeNext('saveChange', () =>
      updatePostmortem(w.editDeps, INCIDENT_ID, 1, { sections: { incidentLead: 'alice' } }),
    );
    const error = await updatePostmortem(w.editDeps, INCIDENT_ID, 1, {
      sections: { incidentLead: 'bob' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject(conflictAt(2));
    expect((await w.postmortems.find(INCIDENT_ID))?.sections.incidentLead).toBe('alice');
  });
});

describe('action items', () => {
  it('when an item is created for an incident that does not exist, then it is not found and nothing is stored', async () => {
    const w = postmortemWorld();
    await expect(createActionItem(w.editDeps, objectId(5), { task: 'x' })).rejects.toThrow(
      new NotFoundError('incident'),
    );
    expect(await w.actionItems.list({})).toEqual([]);
  });

  it('when an item is created, then it is open at version 1 with what was given', async () => {
    const w = await drafted();
    const bare = await createActionItem(w.editDeps, INCIDENT_ID, { task: 'Add a smoke test' });
    const full = await createActionItem(w.editDeps, INCIDENT_ID, {
      task: 'Lint hrefs',
      owner: 'bob',
      deadline: '2026-07-01',
    });
    expect(bare).toEqual({
      id: expect.stringMatching(UUID),
      incidentId: INCIDENT_ID,
      task: 'Add a smoke test',
      owner: null,
      deadline: null,
      status: 'open',
      createdAt: new Date(LATER),
      updatedAt: new Date(LATER),
      completedAt: null,
      version: 1,
    });
    expect(full).toMatchObject({ owner: 'bob', deadline: '2026-07-01' });
    expect(full.id).not.toBe(bare.id);
    expect(await w.actionItems.listForIncident(INCIDENT_ID)).toEqual([bare, full]);
  });

  it('when an item is marked done at its version, then it is completed now and its version moves on', async () => {
    const w = await drafted();
    const item = await createActionItem(w.editDeps, INCIDENT_ID, { task: 'x' });
    const done = await updateActionItem(w.editDeps, INCIDENT_ID, item.id, 1, {
      status: 'done',
      owner: 'bob',
    });
    expect(done).toEqual({ ...item, status: 'done', owner: 'bob', completedAt: new Date(LATER), version: 2 });
    expect(await w.actionItems.find(INCIDENT_ID, item.id)).toEqual(done);
    const unnamed = await updateActionItem(w.editDeps, INCIDENT_ID, item.id, undefined, { task: 'y' });
    expect(unnamed).toMatchObject({ task: 'y', version: 3 });
  });

  it('when an item edit names an older version, then it is a conflict naming the current one', async () => {
    const w = await drafted();
    const item = await createActionItem(w.editDeps, INCIDENT_ID, { task: 'x' });
    await updateActionItem(w.editDeps, INCIDENT_ID, item.id, 1, { task: 'y' });
    await expect(updateActionItem(w.editDeps, INCIDENT_ID, item.id, 1, { task: 'z' })).rejects.toMatchObject(
      conflictAt(2),
    );
    await expect(deleteActionItem(w.editDeps, INCIDENT_ID, item.id, 1)).rejects.toMatchObject(conflictAt(2));
    expect(await w.actionItems.find(INCIDENT_ID, item.id)).toMatchObject({ task: 'y', version: 2 });
  });

  it('when someone else writes the item between the read and the write, then it is a conflict naming their version', async () => {
    const w = await drafted();
    const item = await createActionItem(w.editDeps, INCIDENT_ID, { task: 'x' });
    w.actionItems.beforeNext('saveChange', () =>
      updateActionItem(w.editDeps, INCIDENT_ID, item.id, 1, { task: 'theirs' }),
    );
    const error = await updateActionItem(w.editDeps, INCIDENT_ID, item.id, 1, { task: 'ours' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject(conflictAt(2));
    w.actionItems.loseNext('delete');
    await expect(deleteActionItem(w.editDeps, INCIDENT_ID, item.id, 2)).rejects.toMatchObject(conflictAt(3));
    expect(await w.actionItems.find(INCIDENT_ID, item.id)).toMatchObject({ task: 'theirs' });
  });

  it('when an item is deleted at its version, or without one, then it is gone', async () => {
    const w = await drafted();
    const a = await createActionItem(w.editDeps, INCIDENT_ID, { task: 'a' });
    const b = await createActionItem(w.editDeps, INCIDENT_ID, { task: 'b' });
    await deleteActionItem(w.editDeps, INCIDENT_ID, a.id, 1);
    await deleteActionItem(w.editDeps, INCIDENT_ID, b.id, undefined);
    expect(await w.actionItems.listForIncident(INCIDENT_ID)).toEqual([]);
  });

  it('when the item does not exist under that incident, then edits and deletes are not found', async () => {
    const w = await drafted();
    const item = await createActionItem(w.editDeps, INCIDENT_ID, { task: 'x' });
    const notFound = new NotFoundError('action item');
    await expect(updateActionItem(w.editDeps, objectId(2), item.id, 1, { task: 'y' })).rejects.toThrow(
      notFound,
    );
    await expect(deleteActionItem(w.editDeps, INCIDENT_ID, 'no-such-item', undefined)).rejects.toThrow(
      notFound,
    );
    expect(await w.actionItems.find(INCIDENT_ID, item.id)).toEqual(item);
  });
});
