/** Numbers for objects (auth providers, option instances, agents), for group keys: by identity, never by value. */
const ids = new WeakMap<object, number>();
let nextId = 1;

export function objectId(value: object): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = nextId++));
  return id;
}
