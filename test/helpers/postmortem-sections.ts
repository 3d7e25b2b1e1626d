/** What people wrote in the reference incident's postmortem, taken from the reference report itself. */
import type { ActionItem, PostmortemSections } from '../../src/domain/postmortem';
import { actionItem } from './postmortems';

export const FILLED_SECTIONS: PostmortemSections = {
  usersImpacted: 'About 80% of the traffic to the website: visitors of the home, login and booking pages.',
  incidentLead: 'alice',
  rootCause: {
    technical:
      'An invalid href attribute in the header file set the base URL of every relative link to localhost ' +
      'instead of consolidatedalliance.ng, so the home page, and the pages reached through it, answered 404.',
    human: 'The header change was released to production without first being tested.',
    process:
      'Nothing required a test before a configuration change reached production, and a customer noticed ' +
      'the outage before the team did.',
  },
  impact: {
    users:
      'Users could not reach the home, login and booking pages. Parts of the site not reached through the ' +
      'home page kept working.',
    business: 'No bookings for 1 h 32 min on a Friday evening; customers called support to complain.',
    systems: 'The web and booking services, on web-1 and web-2.',
  },
  resolution:
    'At 18:40 the developers identified the header change and set to work.\n\n' +
    'At 19:15 they rolled the change back, and at 19:19 restarted the servers. By 19:58, 100% of the ' +
    'traffic was back and everything worked normally.',
  lessons: {
    wentWell: 'The rollback worked at the first attempt.',
    wentWrong: '- A customer told us before any monitor did.\n- The change was not tested before release.',
  },
  correctiveMeasures:
    'Alert the team before customers notice: Datadog monitors on the 404 rate of every public page.\n\n' +
    'Test every change, however small, before it is released.',
};

export const FILLED_ITEMS: ActionItem[] = [
  actionItem({
    id: 'a2',
    task: 'Require a staging test for header and configuration changes',
    owner: 'alice',
    deadline: '2019-07-15',
    createdAt: new Date('2019-07-01T09:05:00Z'),
  }),
  actionItem({
    id: 'a1',
    task: 'Monitor the 404 rate of every public page in Datadog',
    owner: 'bob',
    deadline: '2019-07-05',
    status: 'done',
    completedAt: new Date('2019-07-04T16:00:00Z'),
  }),
  actionItem({
    id: 'a3',
    task: 'Walk the support team through the new alerts',
    createdAt: new Date('2019-07-01T09:10:00Z'),
  }),
];
