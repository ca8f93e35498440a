/**
 * The de message catalogue: one JSON file per area of Badgey (i18next JSON v4: plural forms as
 * `key_one` / `key_other`, placeholders as `{{name}}`). Keys are the same in every locale.
 */
import authoring from './authoring.json' with { type: 'json' };
import commands from './commands.json' with { type: 'json' };
import common from './common.json' with { type: 'json' };
import errors from './errors.json' with { type: 'json' };
import help from './help.json' with { type: 'json' };
import leaderboard from './leaderboard.json' with { type: 'json' };
import live from './live.json' with { type: 'json' };
import mydata from './mydata.json' with { type: 'json' };
import quizFile from './quizFile.json' with { type: 'json' };
import scores from './scores.json' with { type: 'json' };
import session from './session.json' with { type: 'json' };
import settings from './settings.json' with { type: 'json' };
import stats from './stats.json' with { type: 'json' };
import status from './status.json' with { type: 'json' };

export default {
  authoring,
  commands,
  common,
  errors,
  help,
  leaderboard,
  live,
  mydata,
  quizFile,
  scores,
  session,
  settings,
  stats,
  status,
};
