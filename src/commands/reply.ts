import { textMessage } from '../chat/index.js';
import type { Reply } from './types.js';

/** A plain answer only the person who ran the command sees: the usual kind. */
export const privately = (text: string): Reply => ({ message: textMessage(text) });
