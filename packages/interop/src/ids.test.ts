import { describe, expect, it } from 'vitest';
import { IdAllocator, slug } from './ids.js';

describe('IdAllocator', () => {
  it('makes readable ids from names and suffixes repeats', () => {
    const ids = new IdAllocator();
    expect(ids.allocate('Web Application', 'element')).toBe('web-application');
    expect(ids.allocate('Web Application', 'element')).toBe('web-application-2');
    expect(ids.allocate('web-application-2', 'element')).toBe('web-application-2-2');
    expect(ids.allocate('Web Application', 'element')).toBe('web-application-3');
    expect(ids.allocate('   ', 'flow')).toBe('flow');
    expect(ids.allocate('Ünïcödé Straße', 'x')).toBe('unicode-strasse');
  });

  it('keeps valid unused ids and reallocates the others', () => {
    const ids = new IdAllocator();
    expect(ids.keepOrAllocate('db', 'element')).toBe('db');
    expect(ids.keepOrAllocate('db', 'element')).toBe('db-2');
    expect(ids.keepOrAllocate('has space', 'element')).toBe('has-space');
    expect(ids.keepOrAllocate(undefined, 'element')).toBe('element');
  });

  it('stays linear with many items of one name', () => {
    const ids = new IdAllocator();
    const made = new Set<string>();
    for (let i = 0; i < 50_000; i++) made.add(ids.allocate('Same Name', 'element'));
    expect(made.size).toBe(50_000);
    expect(made.has('same-name-50000')).toBe(true);
  });

  it('cuts slugs to 100 characters without a trailing dash', () => {
    expect(slug(`${'a'.repeat(99)} b`)).toBe('a'.repeat(99));
    expect(slug('--x--')).toBe('x');
  });
});
