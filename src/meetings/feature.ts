import { defineFeature } from '../features.js';
import { meetingActions } from './actions.js';
import { agendaCommands } from './agenda-commands.js';
import { meetingCommands } from './commands.js';
import { meetingJobs } from './jobs.js';
import { meetingsPersonalData } from './personal-data.js';

/** Meetings, with agendas members shape, RSVPs, papers and reminders. */
export const meetingsFeature = defineFeature({
  name: 'meetings',
  commands: { ...meetingCommands, ...agendaCommands },
  actions: meetingActions,
  jobs: meetingJobs,
  personalData: meetingsPersonalData,
});
