import { describe, expect, it } from 'vitest';
import { KNOWN_LEGITIMATE_PYPI, POPULAR_PYPI, POPULAR_NPM } from '../data/popular-packages.js';
import { boundedDamerau, findTyposquat, skeleton } from './typosquat.js';

describe('typosquat detection', () => {
  it('flags one-letter and transposition typos of popular ML packages', () => {
    expect(findTyposquat('PyPI', 'transfomers')).toMatchObject({
      target: 'transformers',
      technique: 'edit-distance',
      distance: 1,
    });
    expect(findTyposquat('PyPI', 'tourch')).toMatchObject({ target: 'torch' });
    expect(findTyposquat('PyPI', 'nunpy')).toMatchObject({ target: 'numpy' });
    expect(findTyposquat('PyPI', 'langchian')).toMatchObject({ target: 'langchain', distance: 1 });
    expect(findTyposquat('PyPI', 'safetensor')).toMatchObject({ target: 'safetensors' });
  });
  it('flags separator, homoglyph and affix variants', () => {
    expect(findTyposquat('PyPI', 'scikitlearn')).toMatchObject({
      target: 'scikit-learn',
      technique: 'separators',
    });
    expect(findTyposquat('PyPI', 'hugging-face-hub')).toMatchObject({
      target: 'huggingface-hub',
      technique: 'separators',
    });
    expect(findTyposquat('PyPI', 'opena1')).toMatchObject({ target: 'openai', technique: 'homoglyph' });
    expect(findTyposquat('PyPI', 'rnistralai')).toMatchObject({
      target: 'mistralai',
      technique: 'homoglyph',
    });
    expect(findTyposquat('PyPI', 'pytorch')).toMatchObject({ target: 'torch', technique: 'affix' });
    expect(findTyposquat('PyPI', 'torch-nightly')).toMatchObject({ target: 'torch', technique: 'affix' });
    expect(findTyposquat('PyPI', 'python-anthropic')).toMatchObject({
      target: 'anthropic',
      technique: 'affix',
    });
    expect(findTyposquat('npm', '@anthropic-ai/skd')).toMatchObject({ target: '@anthropic-ai/sdk' });
    expect(findTyposquat('npm', 'opneai')).toMatchObject({ target: 'openai' });
  });
  it('hard negatives: real companion packages and neighbours are never flagged', () => {
    for (const name of [
      'torchvision',
      'torchaudio',
      'tensorflow-gpu',
      'tensorflow-cpu',
      'tf-nightly',
      'jaxlib',
      'dataset',
      'panda',
      'openapi',
      'keras-nlp',
      'onnxruntime-gpu',
      'torchmetrics',
      'pytorch-triton',
    ]) {
      expect(findTyposquat('PyPI', name), name).toBeUndefined();
    }
    for (const name of [...POPULAR_PYPI, ...KNOWN_LEGITIMATE_PYPI])
      expect(findTyposquat('PyPI', name), name).toBeUndefined();
    for (const name of POPULAR_NPM) expect(findTyposquat('npm', name), name).toBeUndefined();
    // Short names have too many real neighbours to judge by distance.
    for (const name of [
      'jaxx',
      'pefts',
      'onyx',
      'vlm',
      'trl2x',
      'flask',
      'django',
      'boto3',
      'attrs',
      'click',
    ]) {
      expect(findTyposquat('PyPI', name), name).toBeUndefined();
    }
    expect(findTyposquat('conda', 'tourch')).toBeUndefined();
  });
  it('bounded Damerau-Levenshtein distance', () => {
    expect(boundedDamerau('torch', 'torch', 2)).toBe(0);
    expect(boundedDamerau('torch', 'tocrh', 2)).toBe(1);
    expect(boundedDamerau('torch', 'tourch', 2)).toBe(1);
    expect(boundedDamerau('transformers', 'transfromres', 2)).toBe(2);
    expect(boundedDamerau('numpy', 'pandas', 1)).toBe(2);
    expect(skeleton('T0RCH_VlSl0N')).toBe('torchvlslon');
  });
});
