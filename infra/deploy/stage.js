// `${file(infra/deploy/stage.js)}`: the stage's settings (infra/deploy/stage-settings.ts),
// computed from its parameters while osls resolves serverless.yml, so `sls print` shows them and a
// missing parameter stops every command of that stage with its name.
'use strict';

module.exports = async ({ resolveVariable }) => {
  // A scoped require, not tsx's global register(): registered this early, before serverless-offline
  // loads, it would give serverless-offline a second, silent instance of osls' logger.
  const { stageSettings, STAGE_PARAMETERS } = require('tsx/cjs/api').require('./stage-settings.ts', __filename);
  const [service, stage, region] = await Promise.all([resolveVariable('self:service'), resolveVariable('sls:stage'), resolveVariable('self:provider.region')]);
  const params = {};
  for (const name of Object.keys(STAGE_PARAMETERS)) {
    const value = await resolveVariable(`param:${name}, null`);
    if (value !== null && value !== undefined) params[name] = String(value);
  }
  return stageSettings({
    service,
    stage,
    region,
    param: (name) => params[name],
    env: process.env,
  });
};
