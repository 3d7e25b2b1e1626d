/**
 * Every list query must be served by a declared index: its equality filters first, then its sort (with the
 * range on the sort key itself). FerretDB uses no secondary index, so this is checked here, by design.
 */
import mongoose from 'mongoose';
import { incidentModel } from '../../src/persistence/incident.model';
import { incidentListPlan } from '../../src/persistence/incident.repository';

const model = incidentModel(mongoose.createConnection());
const declared = [{ _id: 1 }, ...model.schema.indexes().map(([fields]) => fields as Record<string, number>)];

function servedBy(
  filter: Record<string, unknown>,
  sort: Record<string, 1 | -1>,
): Record<string, number> | undefined {
  const equality = Object.keys(filter).filter((k) => !(k in sort));
  const sortKeys = Object.entries(sort);
  return declared.find((index) => {
    const keys = Object.entries(index);
    const prefix = keys.slice(0, equality.length).map(([k]) => k);
    if (prefix.length !== equality.length || !equality.every((k) => prefix.includes(k))) return false;
    const rest = keys.slice(equality.length);
    if (rest.length < sortKeys.length) return false;
    // The index may be walked forwards or backwards, but in one direction for every sort key.
    const direction = Math.sign(rest[0]![1]) * sortKeys[0]![1];
    return sortKeys.every(([k, d], i) => rest[i]![0] === k && Math.sign(rest[i]![1]) * d === direction);
  });
}

describe('incident list indexes', () => {
  const statuses = [undefined, 'open', 'resolved'] as const;
  const services = [undefined, 'checkout'];
  const cursors = [undefined, '6b0459a1772a8ca6f6e25918'];
  for (const status of statuses)
    for (const service of services)
      for (const cursor of cursors) {
        it(`when listing with status=${status} service=${service} cursor=${cursor !== undefined}, then an index serves it`, () => {
          const plan = incidentListPlan({ status, service, cursor, limit: 50 });
          expect(servedBy(plan.filter, plan.sort)).toBeDefined();
        });
      }

  it('when a filter has no index, then the check says so', () => {
    expect(servedBy({ title: 'x' }, { _id: -1 })).toBeUndefined();
  });

  it('when the group current-key index is declared, then it is unique', () => {
    const current = model.schema.indexes().find(([fields]) => Object.keys(fields).join() === 'currentKey');
    expect(current?.[1]).toMatchObject({ unique: true });
  });
});
