/**
 * The CDK app: reads the settings from context (see infra/stacks/settings.ts for every key),
 * composes the stacks of one stage and runs the cdk-nag AwsSolutions checks at synth; an
 * unacknowledged finding fails `cdk synth`.
 */
import { App } from 'aws-cdk-lib';
import { addNagChecks, composeRoster } from './stacks/roster.js';
import { readSettings } from './stacks/settings.js';

const app = new App();
composeRoster(app, readSettings(app.node));
addNagChecks(app);
app.synth();
