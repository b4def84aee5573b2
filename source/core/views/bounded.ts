/**
 * Trims an insertion-ordered map down to 90% of `max` once it grows past `max`, in one pass:
 * first the entries `removable` accepts (oldest first), then the oldest of the rest. Amortized
 * O(1) per insert. Returns the removed values.
 */
export function trimMap<K, V>(map: Map<K, V>, max: number, removable: (value: V) => boolean): V[] {
	if (map.size <= max) return [];
	const target = Math.floor(max * 0.9);
	const removed: V[] = [];
	for (const [key, value] of map) {
		if (map.size <= target) break;
		if (!removable(value)) continue;
		map.delete(key);
		removed.push(value);
	}
	for (const [key, value] of map) {
		if (map.size <= target) break;
		map.delete(key);
		removed.push(value);
	}
	return removed;
}
