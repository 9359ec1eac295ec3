import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Seconds since the epoch of a UTC date. */
export const at = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day) / 1000;

/**
 * A hand-made ml-latest-small movies table. Release = 1 July of the title's year.
 * Movie 1 (1990): rated. 2 (1994): never rated. 3 (2000): first rated 2000-06-15, before 1 July.
 * 4 (no year): first rated 1999-01-01. 5 (no year, never rated): never in the catalogue.
 * 6 (2001): released after the last rating. 7 (2000): never rated, released 2000-07-01.
 * Genres, sorted from the file: Action, Comedy, Drama.
 */
export const MOVIES = [
  'movieId,title,genres',
  '1,Old Classic (1990),Drama',
  '2,Never Rated (1994),Comedy',
  '3,"New Release, The (2000)",Action',
  '4,No Year,Drama',
  '5,Never Rated No Year,Comedy',
  '6,Late (2001),Drama',
  '7,Mid Year (2000),Action|Comedy',
];

/** Ratings in time order (user, movie, rating, time). */
export const RATINGS: [number, number, number, number][] = [
  [1, 1, 4, at(1996, 1, 1)],
  [2, 1, 3, at(1997, 1, 1)],
  [1, 4, 5, at(1999, 1, 1)],
  [2, 3, 4.5, at(2000, 6, 15)],
  [3, 1, 2, at(2000, 8, 1)],
  [3, 3, 4, at(2000, 9, 1)],
];

/** Writes the fixture (and `tags.csv` when tags are given: user, movie, tag, time) into a new temporary directory. */
export function writeCatalogueDir(prefix: string, tags?: readonly (readonly [number, number, string, number])[]): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'movies.csv'), `${MOVIES.join('\n')}\n`);
  writeFileSync(join(dir, 'ratings.csv'), `userId,movieId,rating,timestamp\n${RATINGS.map((r) => r.join(',')).join('\n')}\n`);
  if (tags) writeFileSync(join(dir, 'tags.csv'), `userId,movieId,tag,timestamp\n${tags.map((t) => t.join(',')).join('\n')}\n`);
  return dir;
}
