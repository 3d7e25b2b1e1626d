export interface Results {
  machine: { cores: number; memoryGb: number; cpuModel: string; loadAvgAtStart: number[] };
  versions: { node: string; redis: string | null; database: string | null };
  ingest: {
    helloWorldRps: number | null;
    rps: number | null;
    ratio: number | null;
    p50Ms: number | null;
    p99Ms: number | null;
  };
  database: { ceilingAlertsPerSec: number | null; writesPerAlert: number | null };
  workers: { '1': number | null; '2': number | null; '4': number | null; bestRatioToCeiling: number | null };
  endToEnd: {
    offeredPerSec: number | null;
    p50Ms: number | null;
    p99Ms: number | null;
    maxSustainedPerSec: number | null;
  };
  draft: { p50Ms: number | null; p99Ms: number | null };
  /** Database commands per alert (driver command monitoring) and Redis bytes per 10,000 queued alerts. */
  storm?: {
    commandsPerAlert: number | null;
    loneCommands: number | null;
    bytesPerAlert: number | null;
    redisBytesPer10kQueued: number | null;
  };
  /** One change's cost as an incident grows (bench/phases/incident-growth.ts). */
  incidentGrowth?: {
    events: number;
    commandsPerChange: number;
    writeBytesPerChange: number;
    msPerChange: number;
  }[];
  scale: {
    incidents: number | null;
    listP99Ms: number | null;
    deepPageP99Ms: number | null;
    getP99Ms: number | null;
  };
  memory: {
    apiRssMbAt20k: number | null;
    apiRssMbAt100k: number | null;
    workerRssMbAt20k: number | null;
    workerRssMbAt100k: number | null;
    workerRssMbAt: { alerts: number; rssMb: number } | null;
  };
  details: Record<string, unknown>;
  notes: string[];
}

type Verdict = 'MET' | 'MISSED' | 'n/a';

function verdict(ok: boolean | null): Verdict {
  return ok === null ? 'n/a' : ok ? 'MET' : 'MISSED';
}

const show = (v: number | string | null | undefined) => (v === null || v === undefined ? 'null' : String(v));

export function printTable(r: Results): void {
  const m = r.memory;
  const memOk =
    m.apiRssMbAt20k !== null && m.apiRssMbAt100k !== null ? m.apiRssMbAt100k <= m.apiRssMbAt20k * 1.1 : null;
  const workerMemOk =
    m.workerRssMbAt20k !== null && m.workerRssMbAt100k !== null
      ? m.workerRssMbAt100k <= m.workerRssMbAt20k * 1.1
      : null;
  const rows: [string, string, string, Verdict | ''][] = [
    ['hello-world rps', show(r.ingest.helloWorldRps), '', ''],
    ['ingest rps', show(r.ingest.rps), '', ''],
    [
      'ingest ratio',
      show(r.ingest.ratio),
      '>= 0.70',
      verdict(r.ingest.ratio === null ? null : r.ingest.ratio >= 0.7),
    ],
    ['ingest p50 / p99 ms', `${show(r.ingest.p50Ms)} / ${show(r.ingest.p99Ms)}`, '', ''],
    [
      'db ceiling alerts/s',
      show(r.database.ceilingAlertsPerSec),
      `${show(r.database.writesPerAlert)} writes/alert`,
      '',
    ],
    [
      'workers 1 / 2 / 4 alerts/s',
      `${show(r.workers['1'])} / ${show(r.workers['2'])} / ${show(r.workers['4'])}`,
      '',
      '',
    ],
    [
      'workers best / ceiling',
      show(r.workers.bestRatioToCeiling),
      '>= 0.70',
      verdict(r.workers.bestRatioToCeiling === null ? null : r.workers.bestRatioToCeiling >= 0.7),
    ],
    [
      `end-to-end p50 / p99 ms @${show(r.endToEnd.offeredPerSec)}/s`,
      `${show(r.endToEnd.p50Ms)} / ${show(r.endToEnd.p99Ms)}`,
      'p99 < 250',
      verdict(
        r.endToEnd.p99Ms === null
          ? r.endToEnd.offeredPerSec === null
            ? null
            : false
          : r.endToEnd.p99Ms < 250,
      ),
    ],
    [
      'end-to-end max sustained/s',
      show(r.endToEnd.maxSustainedPerSec),
      '>= 100',
      verdict(r.endToEnd.offeredPerSec === null ? null : r.endToEnd.maxSustainedPerSec === 100),
    ],
    [
      'draft p50 / p99 ms',
      `${show(r.draft.p50Ms)} / ${show(r.draft.p99Ms)}`,
      'p99 < 2000',
      verdict(r.draft.p99Ms === null ? null : r.draft.p99Ms < 2000),
    ],
    ['scale incidents', show(r.scale.incidents), '', ''],
    [
      'scale list / deep / get p99 ms',
      `${show(r.scale.listP99Ms)} / ${show(r.scale.deepPageP99Ms)} / ${show(r.scale.getP99Ms)}`,
      '',
      '',
    ],
    [
      'api RSS MB @20k / @100k',
      `${show(m.apiRssMbAt20k)} / ${show(m.apiRssMbAt100k)}`,
      '100k <= 1.1 x 20k',
      verdict(memOk),
    ],
    [
      'worker RSS MB @20k / @100k',
      `${show(m.workerRssMbAt20k)} / ${show(m.workerRssMbAt100k)}`,
      '100k <= 1.1 x 20k',
      verdict(workerMemOk),
    ],
    [
      'storm: DB commands per alert (400 alerts, drafts included)',
      show(r.storm?.commandsPerAlert),
      '<= 0.5',
      verdict(r.storm?.commandsPerAlert == null ? null : r.storm.commandsPerAlert <= 0.5),
    ],
    [
      'lone trigger + recovery + draft: DB commands',
      show(r.storm?.loneCommands),
      '<= 10',
      verdict(r.storm?.loneCommands == null ? null : r.storm.loneCommands <= 10),
    ],
    ['Redis bytes per 10,000 queued alerts', show(r.storm?.redisBytesPer10kQueued), '', ''],
    ...(r.incidentGrowth ?? []).map((g): [string, string, string, Verdict | ''] => [
      `one change at ${g.events} events: commands / bytes written / ms`,
      `${g.commandsPerChange} / ${g.writeBytesPerChange} / ${g.msPerChange}`,
      'flat',
      '',
    ]),
    [
      'worker RSS MB (workers x1 run)',
      m.workerRssMbAt ? `${m.workerRssMbAt.rssMb} @${m.workerRssMbAt.alerts} alerts` : 'null',
      '',
      '',
    ],
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  const line = (row: string[]) =>
    row
      .map((c, i) => (i < 3 ? c.padEnd(w[i] ?? 0) : c))
      .join('  ')
      .trimEnd();
  process.stdout.write(
    `\nHindsight bench — ${r.machine.cores} cores, ${r.machine.cpuModel}, ${r.versions.database ?? '?'}, Redis ${r.versions.redis ?? '?'}, Node ${r.versions.node}\n\n`,
  );
  process.stdout.write(`${line(['metric', 'value', 'target', 'verdict'])}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  if (r.notes.length > 0) process.stdout.write(`\nnotes:\n${r.notes.map((n) => `- ${n}`).join('\n')}\n`);
}
