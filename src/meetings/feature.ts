import { defineFeature } from '../features.js';
import { meetingActions } from './actions.js';
import { agendaCommands } from './agenda-commands.js';
import { meetingCommands } from './commands.js';
import { meetingJobs } from './jobs.js';

/** Meetings, with agendas members shape, RSVPs, papers and reminders. */
export const meetingsFeature = defineFeature({
  name: 'meetings',
  commands: { ...meetingCommands, ...agendaCommands },
  actions: meetingActions,
  jobs: meetingJobs,
});
