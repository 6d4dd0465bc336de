import { expect } from 'vitest';
import { DeliveryError } from '../../src/chat/index.js';

/** The DeliveryError `work` fails with; fails the test when it succeeds or fails otherwise. */
export async function failure(work: Promise<unknown>): Promise<DeliveryError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}
