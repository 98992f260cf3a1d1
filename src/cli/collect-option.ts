/** Commander's argParser for a repeatable option (`--where a=b --where c=d`): every value, in order. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];
