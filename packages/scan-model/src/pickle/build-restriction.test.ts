import { describe, expect, it } from 'vitest';
import { P } from '../test-support/pickle-builder.js';
import { rules, scanBytes } from '../test-support/scan-bytes.js';

// BUILD is accepted only on what the profile restores with state, as torch.load(weights_only=True) does.

const built = (arg: () => ReturnType<typeof P>): Uint8Array =>
  arg().emptyDict().str('__class__').str('x').setitem().build().stop().done();

describe('pickle VM: BUILD restricted to the types each profile restores with state', () => {
  it('state on torch.Size or torch.device is suspicious with a pseudo call', () => {
    const size = built(() =>
      P().proto(4).stackGlobal('torch', 'Size').mark().int(2).int(3).tuple().tuple1().reduce(),
    );
    const r = scanBytes(size, 'model.pkl');
    expect(rules(r)).toEqual(['AG-MODEL-PICKLE-UNEXPECTED-BUILD']);
    expect(r.verdict).toBe('suspicious');
    expect(r.findings[0]?.evidence).toBe("torch.Size((2, 3)).__setstate__({'__class__': 'x'})");
    const device = built(() => P().proto(2).global('torch', 'device').str('cpu').tuple1().reduce());
    expect(rules(scanBytes(device, 'model.pkl'))).toEqual(['AG-MODEL-PICKLE-UNEXPECTED-BUILD']);
  });

  it('hard negatives: OrderedDict _metadata, tensors, parameters and numpy arrays take state', () => {
    const od = P()
      .proto(2)
      .global('collections', 'OrderedDict')
      .emptyTuple()
      .reduce()
      .emptyDict()
      .str('_metadata')
      .emptyDict()
      .setitem()
      .build()
      .stop()
      .done();
    expect(scanBytes(od, 'state.pkl')).toMatchObject({ verdict: 'clean', findings: [] });
    const param = P()
      .proto(2)
      .global('torch._utils', '_rebuild_parameter')
      .mark()
      .none()
      .newTrue()
      .tuple()
      .reduce()
      .emptyDict()
      .build()
      .stop()
      .done();
    expect(scanBytes(param, 'p.pkl')).toMatchObject({ verdict: 'clean', findings: [] });
    const array = P()
      .proto(2)
      .global('numpy.core.multiarray', '_reconstruct')
      .global('numpy', 'ndarray')
      .int(0)
      .tuple1()
      .str('b')
      .tuple3()
      .reduce()
      .mark()
      .int(1)
      .int(3)
      .tuple1()
      .none()
      .newFalse()
      .str('abc')
      .tuple()
      .build()
      .stop()
      .done();
    expect(scanBytes(array, 'a.pkl')).toMatchObject({ verdict: 'clean', findings: [] });
  });

  it('an opt-in profile allows state on its estimators; without it the class is already unlisted', () => {
    const est = P()
      .proto(2)
      .global('copyreg', '_reconstructor')
      .global('sklearn.linear_model._logistic', 'LogisticRegression')
      .global('builtins', 'object')
      .none()
      .tuple3()
      .reduce()
      .emptyDict()
      .str('C')
      .int(1)
      .setitem()
      .build()
      .stop()
      .done();
    expect(scanBytes(est, 'm.pkl', ['builtins', 'numpy', 'sklearn'])).toMatchObject({ verdict: 'clean' });
    expect(rules(scanBytes(est, 'm.pkl'))).not.toContain('AG-MODEL-PICKLE-UNEXPECTED-BUILD');
  });
});
