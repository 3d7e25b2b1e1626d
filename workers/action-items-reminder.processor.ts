import type { Job } from 'bullmq';
import { formatDate } from '../src/domain/time-format';
import type { Logger } from '../src/logger';
import { presentActionItem } from '../src/presenters/action-item.presenter';
import type { NotificationMessage } from '../src/domain/notification-messages';
import type { ActionItemStore } from '../src/use-cases/ports';

export interface ReminderDeps {
  actionItems: ActionItemStore;
  timezone: string;
  publicUrl: string;
  now: () => Date;
  notify: (message: NotificationMessage, revision: number) => Promise<unknown>;
}

/**
 * `action-items.remind`, run daily by a job scheduler: tells the targets which action items are overdue.
 * The day is the message's revision, so a retry the same day sends nothing twice and tomorrow sends again.
 */
export function actionItemsReminderProcessor(deps: ReminderDeps, logger: Logger) {
  return async (job: Job): Promise<number> => {
    const today = formatDate(deps.now(), deps.timezone);
    const overdue = await deps.actionItems.list({ status: 'open', overdueBefore: today });
    logger.info({ jobId: job.id, today, overdue: overdue.length }, 'overdue action items');
    if (overdue.length === 0) return 0;
    const lines = overdue
      .slice(0, 20)
      .map((item) => `• ${item.task} (${item.owner ?? 'no owner'}, due ${item.deadline ?? '?'})`);
    const more = overdue.length > 20 ? [`… and ${overdue.length - 20} more`] : [];
    await deps.notify(
      {
        event: 'action_items.overdue',
        subjectId: 'daily',
        title: `${overdue.length} overdue action item${overdue.length === 1 ? '' : 's'}`,
        text: [...lines, ...more].join('\n'),
        url: `${deps.publicUrl}/api/action-items?status=open&overdue=true`,
        data: { today, items: overdue.map(presentActionItem) },
      },
      Number(today.replaceAll('-', '')),
    );
    return overdue.length;
  };
}
