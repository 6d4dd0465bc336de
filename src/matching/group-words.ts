/**
 * The groups a round made, by size: "3 pairs and 1 group of 3". A round of pairs with an odd
 * number of people makes a group of 3, which is not a pair. Sizes are as introduced: a person
 * whose data was erased since still counts.
 */
export function groupsInWords(groups: readonly { readonly size: number }[]): string {
  if (groups.length === 0) return 'no pairs';
  const bySize = new Map<number, number>();
  for (const g of groups) bySize.set(g.size, (bySize.get(g.size) ?? 0) + 1);
  const parts = [...bySize.entries()]
    .sort(([a], [b]) => a - b)
    .map(([size, n]) =>
      size === 2 ? `${n} ${n === 1 ? 'pair' : 'pairs'}` : `${n} ${n === 1 ? 'group' : 'groups'} of ${size}`,
    );
  return parts.length === 1 ? (parts[0] as string) : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
