import { spokenCode } from '../codes.js';

export { normaliseCode } from '../codes.js';

/** A short meeting id such as "M7K2". */
export const meetingCode = (length = 3): string => spokenCode('M', length);

/** Whether a value could be a meeting code at all, before the database is asked. */
export const looksLikeCode = (code: string): boolean => /^M[A-Z0-9]{3,8}$/.test(code);
