import type { NoControlNeeded } from './control-schema.js';

const OFF_SITE =
  'happens entirely on infrastructure the attacker owns or rents, before any contact with the system; ' +
  'the defender has no control point there.';

/**
 * Techniques without ATLAS mitigation for which no compensating control is proposed, each with the
 * reason and the later techniques where the same activity can be seen and stopped.
 */
export const NO_CONTROL_NEEDED: readonly NoControlNeeded[] = [
  {
    technique: 'AML.T0016',
    reason: `Obtaining attack capabilities ${OFF_SITE} Test with the same public tools instead (Q-AML.T0016-1).`,
    watchInstead: ['AML.T0043', 'AML.T0015', 'AML.T0051'],
  },
  {
    technique: 'AML.T0016.000',
    reason: `Downloading published adversarial-attack code ${OFF_SITE} Robustness testing covers its effect.`,
    watchInstead: ['AML.T0043', 'AML.T0015'],
  },
  {
    technique: 'AML.T0016.001',
    reason: `Acquiring general attack software ${OFF_SITE} Its use is caught where it touches the system.`,
    watchInstead: ['AML.T0049', 'AML.T0011'],
  },
  {
    technique: 'AML.T0017',
    reason: `Developing new attacks ${OFF_SITE} Model hardening and input detection address the result.`,
    watchInstead: ['AML.T0043', 'AML.T0015'],
  },
  {
    technique: 'AML.T0017.000',
    reason: `Building bespoke adversarial attacks ${OFF_SITE} Query limits and detectors address their delivery.`,
    watchInstead: ['AML.T0043', 'AML.T0040'],
  },
  {
    technique: 'AML.T0008',
    reason: `Acquiring attack infrastructure ${OFF_SITE} Infrastructure used against the system shows up in access logs.`,
    watchInstead: ['AML.T0040', 'AML.T0024'],
  },
  {
    technique: 'AML.T0008.000',
    reason: `Renting AI development workspaces ${OFF_SITE} Proxy-model training is addressed at the inference API.`,
    watchInstead: ['AML.T0005', 'AML.T0024.002'],
  },
  {
    technique: 'AML.T0008.001',
    reason: `Buying consumer hardware ${OFF_SITE} The attacks it enables are addressed where they reach the model.`,
    watchInstead: ['AML.T0043', 'AML.T0005'],
  },
  {
    technique: 'AML.T0008.004',
    reason: `Setting up serverless hosting ${OFF_SITE} Its traffic is handled by identity and egress monitoring.`,
    watchInstead: ['AML.T0096', 'AML.T0052'],
  },
];
