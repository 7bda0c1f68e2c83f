/**
 * An object with some of its methods replaced (a driver adapter, a
 * transaction): the rest are the target's own, called on the target itself,
 * since its methods may use private fields, which a proxy does not have.
 */
export function withOverrides<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof T];
      const value: unknown = Reflect.get(object, prop, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}
