import { removeKeyword } from '../motoko/analysis/fixes';
import type { Fix } from '../core/findings';
import { defineRule } from './api';

export default defineRule({
  id: 'stable-timer-id',
  language: 'motoko',
  defaultSeverity: 'warning',
  docs: {
    summary: 'A stable field holds a timer id: the IC cancels every timer on upgrade, so the id is stale afterwards',
    why: [
      'Timers do not survive an upgrade: the IC cancels them all, and the new code has to arm them again.',
      'A stable field that keeps a `TimerId` keeps it across the upgrade, though: afterwards it names a timer that no longer exists, `cancelTimer` on it does nothing, and code that checks it thinks a timer is armed when none is.',
      'Make the field `transient` and arm the timer again after the upgrade (in `postupgrade`, or in the actor body, which runs on every upgrade).',
    ].join('\n'),
    bad: `import Timer "mo:core/Timer";

persistent actor Reminders {
  var reminder : ?Timer.TimerId = null;

  public func arm() : async () {
    reminder := ?Timer.setTimer<system>(#seconds 60, func() : async () {});
  };
};
`,
    good: `import Timer "mo:core/Timer";

persistent actor Reminders {
  transient var reminder : ?Timer.TimerId = null;

  public func arm() : async () {
    reminder := ?Timer.setTimer<system>(#seconds 60, func() : async () {});
  };
};
`,
    fix: 'Declares the field `transient` (in a persistent actor) or drops its `stable` (in a classic one).',
  },
  checkMotoko(ctx) {
    for (const actor of ctx.file.actors) {
      for (const field of actor.fields) {
        if (field.stability !== 'stable' || !/\bTimerId\b/.test(field.typeText ?? '')) continue;
        const name = field.names[0];
        let fix: Fix;
        if (field.keyword?.word === 'stable' && !actor.persistent)
          fix = { title: `Drop \`stable\` from \`${name}\``, kind: 'unsafe', edits: [removeKeyword(ctx.text, field.keyword.loc)] };
        else if (field.keyword) fix = { title: `Declare \`${name}\` transient`, kind: 'unsafe', edits: [{ ...field.keyword.loc, newText: 'transient' }] };
        else
          fix = {
            title: `Declare \`${name}\` transient`,
            kind: 'unsafe',
            edits: [{ file: field.loc.file, start: field.decStart, end: field.decStart, newText: 'transient ' }],
          };
        ctx.report({
          message: `\`${name}\` is stable, but the IC cancels every timer on upgrade: afterwards it holds the id of a timer that no longer exists; make it transient and arm the timer again after the upgrade`,
          loc: field.nameLoc,
          fixes: [fix],
        });
      }
    }
  },
});
