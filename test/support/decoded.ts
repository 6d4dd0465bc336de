/**
 * A URL path segment decoded, or as sent when it is not valid percent-encoding. The fakes route by
 * path, and a path holding a bare "%" (an interaction token, a response_url copied from a payload)
 * must be answered like any unknown path, not throw inside the fake.
 */
export function decodedOrAsSent(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
