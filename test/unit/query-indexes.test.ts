/**
 * Every list query must be served by a declared index: its equality filters first, then its sort keys (the
 * cursor's range is on the sort keys themselves). FerretDB uses no secondary index, so this is checked here.
 */
import mongoose from 'mongoose';
import { actionItemModel } from '../../src/persistence/action-item.model';
import { itemsOfIncidentsPlan } from '../../src/persistence/action-item.repository';
import { alertLogModel } from '../../src/persistence/alert-log.model';
import { alertLogListPlan, heldAlertsPlan } from '../../src/persistence/alert-log.repository';
import { incidentModel } from '../../src/persistence/incident.model';
import { detectedBetweenPlan, incidentListPlan } from '../../src/persistence/incident.repository';

const connection = mongoose.createConnection();
const CURSOR_ID = '6b0459a1772a8ca6f6e25918';

function declaredIndexes(model: mongoose.Model<never>): Record<string, number>[] {
  return [{ _id: 1 }, ...model.schema.indexes().map(([fields]) => fields as Record<string, number>)];
}

function servedBy(
  declared: Record<string, number>[],
  filter: Record<string, unknown>,
  sort: Record<string, 1 | -1>,
): Record<string, number> | undefined {
  const equality = Object.keys(filter).filter((k) => !(k in sort) && !k.startsWith('$'));
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
  const declared = declaredIndexes(incidentModel(connection) as unknown as mongoose.Model<never>);
  for (const status of [undefined, 'open', 'resolved'] as const)
    for (const service of [undefined, 'checkout'])
      for (const cursor of [undefined, CURSOR_ID]) {
        it(`when listing with status=${status} service=${service} cursor=${cursor !== undefined}, then an index serves it`, () => {
          const plan = incidentListPlan({ status, service, cursor, limit: 50 });
          expect(servedBy(declared, plan.filter, plan.sort)).toBeDefined();
        });
      }

  it('when a filter has no index, then the check says so', () => {
    expect(servedBy(declared, { title: 'x' }, { _id: -1 })).toBeUndefined();
    expect(servedBy(declared, {}, { updatedAt: -1 })).toBeUndefined();
  });

  it('when Insights lists the incidents detected in a period, then an index serves the range and its sort', () => {
    const plan = detectedBetweenPlan(new Date('2026-06-01T00:00:00Z'), new Date('2026-07-01T00:00:00Z'));
    expect(Object.keys(plan.filter)).toEqual(['detectedAt']);
    expect(servedBy(declared, plan.filter, plan.sort)).toEqual({ detectedAt: 1, _id: 1 });
  });

  it('when the group current-key index is declared, then it is unique', () => {
    const current = incidentModel(connection)
      .schema.indexes()
      .find(([fields]) => Object.keys(fields).join() === 'currentKey');
    expect(current?.[1]).toMatchObject({ unique: true });
  });
});

describe('alert log indexes', () => {
  const declared = declaredIndexes(alertLogModel(connection) as unknown as mongoose.Model<never>);
  const cursor = Buffer.from(JSON.stringify([Date.now(), 'datadog|datadog:1'])).toString('base64url');
  const queries = [
    {},
    { status: 'held' as const },
    { incidentId: CURSOR_ID },
    { cursor },
    { status: 'test' as const, cursor },
    { incidentId: CURSOR_ID, cursor },
  ];
  for (const query of queries) {
    it(`when listing the alert log by ${JSON.stringify(Object.keys(query))}, then an index serves it`, () => {
      const plan = alertLogListPlan({ ...query, limit: 50 });
      expect(servedBy(declared, plan.filter, plan.sort)).toBeDefined();
    });
  }

  it('when an incident opens, then its held alerts are found through the group index', () => {
    const plan = heldAlertsPlan('datadog:monitor:1', new Date('2026-06-14T10:00:00Z'));
    expect(servedBy(declared, plan.filter, plan.sort)).toEqual({ groupKey: 1, status: 1, at: 1 });
  });
});

describe('action item indexes', () => {
  it('when Insights reads the items of many incidents, then the incident index serves the $in and its sort', () => {
    const declared = declaredIndexes(actionItemModel(connection) as unknown as mongoose.Model<never>);
    const plan = itemsOfIncidentsPlan([CURSOR_ID, '6b0459a1772a8ca6f6e25919']);
    expect(servedBy(declared, plan.filter, plan.sort)).toEqual({ incidentId: 1, createdAt: 1 });
  });
});
