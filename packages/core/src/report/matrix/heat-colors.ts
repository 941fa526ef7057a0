import type { HeatState } from './assessment-matrix.js';

/** Colours of the residual-risk heat map, shared by the HTML report, Navigator layers and the web app. */
export const HEAT_COLORS: Readonly<Record<HeatState, string>> = {
  critical: '#b71c1c',
  high: '#f4511e',
  medium: '#fbc02d',
  low: '#9ccc65',
  unscored: '#b0bec5',
  'not-applicable': '#eceff1',
  'not-assessed': '#ffffff',
};

/** Text colour readable on each heat colour. */
export const HEAT_TEXT_COLORS: Readonly<Record<HeatState, string>> = {
  critical: '#ffffff',
  high: '#ffffff',
  medium: '#212121',
  low: '#212121',
  unscored: '#212121',
  'not-applicable': '#78909c',
  'not-assessed': '#9e9e9e',
};
