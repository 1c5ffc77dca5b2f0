// What a diff of two read profiles is, for the worker and the command-line report alike: time
// units convert (a nanosecond head against a microsecond base); others are compared as shares only.
import type { Profile } from '../src/model/profile';
import type { Diff } from '../src/model/diff-model';
import type { MatchRules } from '../src/model/match-key';
import { compareUnits } from '../src/model/units';
import { diffProfiles } from './diff';
import { scaleProfile } from './scale-profile';

export function compareProfiles(base: Profile, head: Profile, rules?: MatchRules): Diff {
  const units = compareUnits(base, head);
  const scaled = base !== head && units.comparable && units.headFactor !== 1 ? scaleProfile(head, units.headFactor, base.unit) : head;
  return diffProfiles(base, scaled, rules);
}
