import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gguf, npy, onnxModel, safetensors, tar } from '../test-support/format-builders.js';
import { P, callP4, concat, osSystemP0, torchDataPkl } from '../test-support/pickle-builder.js';
import { rules, scanBytes } from '../test-support/scan-bytes.js';
import { makeZip, utf8 } from '../test-support/zip-builder.js';

// Every class of the research notes' detection table and §9.7 must-pass list, built byte by byte here.

const TORCH_MAGIC = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
const magicPickle = (): Uint8Array => P().proto(2).op(0x8a).op(10).raw(TORCH_MAGIC).stop().done();
const smallPickle = (value: number): Uint8Array => P().proto(2).int(value).stop().done();
const keysPickle = (keys: string[]): Uint8Array => {
  const b = P().proto(2).emptyList().mark();
  for (const k of keys) b.str(k);
  return b.appends().stop().done();
};

/** joblib: NumpyArrayWrapper for a float64 array of `n` items, BUILD, then the raw bytes inline. */
function joblibArray(n: number, fill = 0x2e): Uint8Array {
  const b = P()
    .proto(4)
    .stackGlobal('joblib.numpy_pickle', 'NumpyArrayWrapper')
    .emptyTuple()
    .op(0x81)
    .emptyDict()
    .mark()
    .str('subclass')
    .stackGlobal('numpy', 'ndarray')
    .str('shape')
    .int(n)
    .tuple1()
    .str('order')
    .str('C')
    .str('dtype')
    .stackGlobal('numpy', 'dtype')
    .str('f8')
    .newFalse()
    .newTrue()
    .tuple3()
    .reduce()
    .mark()
    .int(3)
    .str('<')
    .none()
    .none()
    .none()
    .int(0xffffffff)
    .int(0xffffffff)
    .int(0)
    .tuple()
    .build()
    .str('allow_mmap')
    .newFalse()
    .str('numpy_array_alignment_bytes')
    .int(16)
    .setitems()
    .build();
  b.op(3).raw([0, 0, 0]);
  b.raw(new Uint8Array(n * 8).fill(fill));
  return b.done();
}

const malicious: Array<[string, () => Uint8Array, string, string?]> = [
  ['os.system via GLOBAL, protocol 0', () => osSystemP0(), 'm.pkl', 'AG-MODEL-PICKLE-DANGEROUS-GLOBAL'],
  [
    'posix.system via GLOBAL, protocol 2',
    () => P().proto(2).global('posix', 'system').str('id').tuple1().reduce().stop().done(),
    'm.pkl',
  ],
  [
    'os.system via STACK_GLOBAL, protocol 4',
    () => callP4('os', 'system'),
    'm.pkl',
    'AG-MODEL-PICKLE-DANGEROUS-GLOBAL',
  ],
  ['builtins.eval, protocol 4', () => callP4('builtins', 'eval', '1+1'), 'm.pkl'],
  ['INST exec', () => P().raw('(Vprint(1)\nibuiltins\nexec\n.').done(), 'm.pkl'],
  [
    'OBJ subprocess',
    () => P().proto(2).mark().global('subprocess', 'check_output').str('id').op(0x6f).stop().done(),
    'm.pkl',
  ],
  [
    'memo games feeding STACK_GLOBAL',
    () =>
      P()
        .proto(4)
        .str('os')
        .memoize()
        .str('collections')
        .memoize()
        .pop()
        .str('system')
        .memoize()
        .binget(0)
        .binget(2)
        .op(0x93)
        .str('id')
        .tuple1()
        .reduce()
        .stop()
        .done(),
    'm.pkl',
    'AG-MODEL-PICKLE-DANGEROUS-GLOBAL',
  ],
  ['builtins.__import__', () => callP4('builtins', '__import__', 'os'), 'm.pkl'],
  ['importlib.import_module', () => callP4('importlib', 'import_module', 'os'), 'm.pkl'],
  ['operator.call', () => callP4('operator', 'call', 'x'), 'm.pkl'],
  [
    'dotted alias random._os.system via STACK_GLOBAL',
    () => callP4('random', '_os.system'),
    'm.pkl',
    'AG-MODEL-PICKLE-DANGEROUS-GLOBAL',
  ],
  [
    'dotted alias via GLOBAL after PROTO 4',
    () => P().proto(4).global('random', '_os.system').str('id').tuple1().reduce().stop().done(),
    'm.pkl',
  ],
  [
    'EXT1 after copyreg.add_extension',
    () =>
      P()
        .proto(2)
        .global('copyreg', 'add_extension')
        .str('os')
        .str('system')
        .int(240)
        .tuple3()
        .reduce()
        .pop()
        .op(0x82)
        .op(240)
        .str('id')
        .tuple1()
        .reduce()
        .stop()
        .done(),
    'm.pkl',
    'AG-MODEL-PICKLE-EXTENSION-CODE',
  ],
  [
    'EXT2 with no registration',
    () => P().proto(2).op(0x83).raw([1, 2]).emptyTuple().reduce().stop().done(),
    'm.pkl',
    'AG-MODEL-PICKLE-EXTENSION-CODE',
  ],
  [
    'numpy.size attribute rewrite (modelscan #330 shape)',
    () =>
      P()
        .proto(2)
        .global('numpy', 'size')
        .emptyDict()
        .str('__builtins__')
        .str('x')
        .setitem()
        .build()
        .stop()
        .done(),
    'm.pkl',
    'AG-MODEL-PICKLE-GLOBAL-MUTATION',
  ],
  [
    'SETITEM on a module (global-state mutation)',
    () => P().proto(2).global('collections', 'OrderedDict').str('fromkeys').str('x').setitem().stop().done(),
    'm.pkl',
    'AG-MODEL-PICKLE-GLOBAL-MUTATION',
  ],
  [
    'fix_imports cPickle.loads → pickle.loads',
    () => P().proto(2).global('cPickle', 'loads').str('x').tuple1().reduce().stop().done(),
    'm.pkl',
  ],
  [
    'fix_imports urllib2.urlopen → urllib.request.urlopen',
    () => P().proto(2).global('urllib2', 'urlopen').str('http://x').tuple1().reduce().stop().done(),
    'm.pkl',
  ],
  [
    'fix_imports commands.getoutput → subprocess',
    () => P().global('commands', 'getoutput').raw('(Vid\ntR.').done(),
    'm.pkl',
  ],
  [
    'nested pickle.loads(bytes)',
    () =>
      P()
        .proto(4)
        .stackGlobal('pickle', 'loads')
        .bytes(callP4('os', 'system'))
        .tuple1()
        .reduce()
        .stop()
        .done(),
    'm.pkl',
  ],
  [
    'nested pickle.loads(base64.b64decode(str))',
    () =>
      P()
        .proto(4)
        .stackGlobal('pickle', 'loads')
        .stackGlobal('base64', 'b64decode')
        .str(Buffer.from(callP4('nt', 'system')).toString('base64'))
        .tuple1()
        .reduce()
        .tuple1()
        .reduce()
        .stop()
        .done(),
    'm.pkl',
  ],
  [
    'multi-stream: benign then malicious',
    () => concat(P().proto(4).emptyList().stop().done(), callP4('os', 'system')),
    'm.pkl',
  ],
  [
    'truncated after REDUCE (no STOP)',
    () => P().proto(4).stackGlobal('os', 'system').str('id').tuple1().reduce().done(),
    'm.pkl',
  ],
  [
    'garbage after REDUCE',
    () => P().proto(4).stackGlobal('os', 'system').str('id').tuple1().reduce().raw([0xff, 0xfe]).done(),
    'm.pkl',
  ],
  [
    'FRAME straddle hides a GLOBAL/REDUCE',
    () => {
      const hidden = Buffer.from('cos\nsystem\n(Vid\ntR0', 'latin1');
      return P()
        .proto(4)
        .frame(5)
        .op(0x42)
        .raw([hidden.length, 0, 0, 0])
        .raw(hidden)
        .pop()
        .none()
        .stop()
        .done();
    },
    'm.pkl',
    'AG-MODEL-PICKLE-FRAME',
  ],
  [
    'FRAME opened inside a frame',
    () => P().proto(4).frame(13).none().pop().frame(2).none().stop().done(),
    'm.pkl',
    'AG-MODEL-PICKLE-FRAME',
  ],
  [
    'dynamic STACK_GLOBAL operand',
    () =>
      P()
        .proto(4)
        .stackGlobal('builtins', 'str')
        .str('os')
        .tuple1()
        .reduce()
        .str('system')
        .op(0x93)
        .str('id')
        .tuple1()
        .reduce()
        .stop()
        .done(),
    'm.pkl',
    'AG-MODEL-PICKLE-DYNAMIC-GLOBAL',
  ],
  [
    'persistent id in a plain pickle',
    () => P().raw('P1\n.').done(),
    'm.pkl',
    'AG-MODEL-PICKLE-PERSISTENT-ID',
  ],
  [
    'unlisted global (default-deny)',
    () => callP4('mypkg.models', 'Net'),
    'm.pkl',
    'AG-MODEL-PICKLE-UNLISTED-GLOBAL',
  ],
  [
    'pickle-first polyglot (.pkl + zip)',
    () =>
      concat(
        P().proto(4).emptyList().stop().done(),
        makeZip([{ name: 'archive/data.pkl', data: callP4('os', 'system') }]),
      ),
    'm.pkl',
    'AG-MODEL-POLYGLOT',
  ],
  [
    'PyTorch zip with malicious data.pkl',
    () =>
      makeZip([
        { name: 'archive/data.pkl', data: callP4('os', 'system') },
        { name: 'archive/version', data: utf8('3\n') },
      ]),
    'model.pt',
  ],
  [
    'legacy PyTorch with payload in the model pickle',
    () =>
      concat(
        magicPickle(),
        smallPickle(1001),
        P().proto(2).emptyDict().stop().done(),
        callP4('os', 'system'),
        keysPickle([]),
      ),
    'model.pt',
  ],
  [
    'protocol-0 payload in a zip member with no extension',
    () => makeZip([{ name: 'archive/data', data: osSystemP0() }]),
    'x.zip',
  ],
  [
    'TorchScript code member',
    () =>
      makeZip([
        { name: 'archive/data.pkl', data: torchDataPkl([], 0) },
        {
          name: 'archive/code/__torch__/m.py',
          data: utf8('def forward(self):\n  return torch.from_file("/etc/passwd")\n'),
        },
      ]),
    'model.pt',
    'AG-MODEL-TORCHSCRIPT-CODE',
  ],
  [
    'zip slip member name',
    () => makeZip([{ name: '../../evil.sh', data: utf8('echo hi') }]),
    'model.zip',
    'AG-MODEL-ZIP-PATH',
  ],
  [
    'absolute member name',
    () => makeZip([{ name: '/etc/cron.d/x', data: utf8('x') }]),
    'model.zip',
    'AG-MODEL-ZIP-PATH',
  ],
  [
    'symlink member',
    () => makeZip([{ name: 'link', data: utf8('/etc/passwd'), unixMode: 0o120777 }]),
    'model.zip',
    'AG-MODEL-ZIP-PATH',
  ],
  [
    'duplicate zip names',
    () =>
      makeZip([
        { name: 'archive/data.pkl', data: torchDataPkl([], 0) },
        { name: 'archive/data.pkl', data: torchDataPkl([], 0) },
      ]),
    'model.pt',
    'AG-MODEL-ZIP-DUPLICATE',
  ],
  [
    'overlapping zip entries',
    () =>
      makeZip([
        { name: 'a.txt', data: utf8('hello world') },
        { name: 'b.txt', data: utf8('hello world'), reuseLocalOf: 0 },
      ]),
    'x.zip',
    'AG-MODEL-ZIP-OVERLAP',
  ],
  [
    'encryption flag on a plaintext pickle',
    () => makeZip([{ name: 'archive/data.pkl', data: callP4('os', 'system'), flags: 1 }]),
    'model.pt',
    'AG-MODEL-ZIP-FLAGS',
  ],
  [
    'local/central name mismatch',
    () =>
      makeZip([{ name: 'archive/data.pkl', localName: 'archive/other.pkl', data: callP4('os', 'system') }]),
    'model.pt',
    'AG-MODEL-ZIP-STRUCTURE',
  ],
  ['object-dtype .npy with os.system', () => npy('|O', [1], osSystemP0()), 'a.npy'],
  [
    '.npz with an object array',
    () => makeZip([{ name: 'arr_0.npy', data: npy('|O', [1], callP4('os', 'system')), method: 8 }]),
    'a.npz',
  ],
  [
    'joblib payload hidden after an inline array',
    () => {
      const arr = joblibArray(3);
      const tail = P().stackGlobal('os', 'system').str('id').tuple1().reduce().appends().stop().done();
      return concat(P().proto(4).emptyList().mark().done(), arr.subarray(2), tail);
    },
    'model.joblib',
    'AG-MODEL-PICKLE-DANGEROUS-GLOBAL',
  ],
  ['gzip-wrapped malicious pickle', () => Uint8Array.from(gzipSync(callP4('os', 'system'))), 'model.pkl.gz'],
  [
    'tar with a malicious pickle',
    () => tar([{ name: 'model/data.pkl', data: callP4('os', 'system') }]),
    'bundle.tar',
  ],
  ['tar slip', () => tar([{ name: '../evil', data: utf8('x') }]), 'bundle.tar', 'AG-MODEL-ZIP-PATH'],
  [
    'pickle disguised as safetensors',
    () => callP4('os', 'system'),
    'model.safetensors',
    'AG-MODEL-EXTENSION-MISMATCH',
  ],
  [
    'safetensors overlapping offsets',
    () =>
      safetensors(
        {
          a: { dtype: 'F32', shape: [4], offsets: [0, 16] },
          b: { dtype: 'F32', shape: [4], offsets: [8, 24] },
        },
        24,
      ),
    'm.safetensors',
    'AG-MODEL-SAFETENSORS-HEADER',
  ],
  [
    'safetensors duplicate keys',
    () =>
      safetensors(
        {},
        16,
        '{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}',
      ),
    'm.safetensors',
    'AG-MODEL-SAFETENSORS-HEADER',
  ],
  [
    'safetensors header past the end',
    () => Uint8Array.from([...Buffer.from([0xff, 0xff, 0, 0, 0, 0, 0, 0]), 0x7b, 0x7d]),
    'm.safetensors',
  ],
  [
    'GGUF chat template with __class__.__mro__',
    () =>
      gguf({
        'general.architecture': 'llama',
        'tokenizer.chat_template': "{{ ''.__class__.__mro__[1].__subclasses__() }}",
      }),
    'm.gguf',
    'AG-MODEL-GGUF-TEMPLATE',
  ],
  [
    'GGUF with a tensor past the end of the file',
    () => gguf({ 'general.architecture': 'llama' }, [{ name: 'w', dims: [4], offset: 4096 }]),
    'm.gguf',
    'AG-MODEL-GGUF-HEADER',
  ],
  [
    'Keras nested-model Lambda',
    () =>
      makeZip([
        {
          name: 'config.json',
          data: utf8(
            JSON.stringify({
              class_name: 'Functional',
              config: {
                layers: [
                  {
                    class_name: 'Sequential',
                    config: { layers: [{ class_name: 'Lambda', config: { function: 'ZGVm' } }] },
                  },
                ],
              },
            }),
          ),
        },
        { name: 'metadata.json', data: utf8('{"keras_version":"3.0.0"}') },
      ]),
    'm.keras',
  ],
  [
    'Hugging Face config with auto_map',
    () => utf8(JSON.stringify({ auto_map: { AutoModel: 'modeling_x.XModel' } })),
    'config.json',
    'AG-MODEL-HF-REMOTE-CODE',
  ],
  [
    'tokenizer_config chat template injection',
    () => utf8(JSON.stringify({ chat_template: '{{ cycler.__init__.__globals__.os.popen("id").read() }}' })),
    'tokenizer_config.json',
    'AG-MODEL-GGUF-TEMPLATE',
  ],
  [
    'zlib-compressed joblib with a payload',
    () => Uint8Array.from(deflateSync(callP4('os', 'system'))),
    'model.joblib',
  ],
  ['ONNX external data ../', () => onnxModel('../../etc/passwd'), 'model.onnx', 'AG-MODEL-ZIP-PATH'],
  [
    'ONNX external data ../ in an If subgraph',
    () => onnxModel('weights.bin', '', '../secret'),
    'model.onnx',
    'AG-MODEL-ZIP-PATH',
  ],
  ['ONNX absolute external data, no extension', () => onnxModel('/etc/shadow'), 'model', 'AG-MODEL-ZIP-PATH'],
  [
    'ONNX custom operator domain',
    () => onnxModel('weights.bin', 'com.evil'),
    'model.onnx',
    'AG-MODEL-HF-REMOTE-CODE',
  ],
  [
    '7z archive (not decoded: inconclusive)',
    () => Uint8Array.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4, 1, 2, 3]),
    'model.7z',
  ],
  [
    'encrypted model member (inconclusive)',
    () => makeZip([{ name: 'archive/data.pkl', data: Uint8Array.from([1, 2, 3, 4, 5, 6]), flags: 1 }]),
    'model.pt',
  ],
];

describe('scan model: every detection-table and must-pass class is non-clean', () => {
  for (const [label, build, name, rule] of malicious) {
    it(label, () => {
      const report = scanBytes(build(), name);
      expect(report.verdict, JSON.stringify(report.findings, null, 1)).not.toBe('clean');
      if (rule) expect(rules(report)).toContain(rule);
    });
  }
});

describe('scan model: benign controls are clean', () => {
  const benign: Array<[string, () => Uint8Array, string]> = [
    ['list, protocol 0', () => P().raw('(lp0\nVa\np1\naVb\np2\na.').done(), 'b.pkl'],
    [
      'dict, protocol 4 with frame',
      () => P().proto(4).frame(8).emptyDict().str('k').int(1).setitem().stop().done(),
      'b.pkl',
    ],
    [
      'OrderedDict, protocol 2',
      () =>
        P()
          .proto(2)
          .global('collections', 'OrderedDict')
          .emptyTuple()
          .reduce()
          .str('a')
          .int(1)
          .setitem()
          .stop()
          .done(),
      'b.pkl',
    ],
    [
      'numpy array pickle, protocol 4',
      () =>
        P()
          .proto(4)
          .stackGlobal('numpy._core.multiarray', '_reconstruct')
          .stackGlobal('numpy', 'ndarray')
          .int(0)
          .tuple1()
          .bytes([0x62])
          .tuple3()
          .reduce()
          .mark()
          .int(1)
          .int(3)
          .tuple1()
          .stackGlobal('numpy', 'dtype')
          .str('f8')
          .newFalse()
          .newTrue()
          .tuple3()
          .reduce()
          .mark()
          .int(3)
          .str('<')
          .none()
          .none()
          .none()
          .int(0xffffffff)
          .int(0xffffffff)
          .int(0)
          .tuple()
          .build()
          .newFalse()
          .bytes(new Uint8Array(24))
          .tuple()
          .build()
          .stop()
          .done(),
      'b.pkl',
    ],
    ['float .npy', () => npy('<f8', [3], new Uint8Array(24)), 'b.npy'],
    ['joblib with an inline array', () => concat(joblibArray(3), P().stop().done()), 'b.joblib'],
    [
      'PyTorch zip with storages',
      () =>
        makeZip([
          { name: 'archive/data.pkl', data: torchDataPkl(['0', '1']) },
          { name: 'archive/byteorder', data: utf8('little') },
          { name: 'archive/data/0', data: new Uint8Array(16) },
          { name: 'archive/data/1', data: new Uint8Array(16) },
          { name: 'archive/version', data: utf8('3\n') },
          { name: 'archive/.data/serialization_id', data: utf8('1234567890') },
        ]),
      'pytorch_model.bin',
    ],
    [
      'legacy PyTorch file',
      () =>
        concat(
          magicPickle(),
          smallPickle(1001),
          P().proto(2).emptyDict().stop().done(),
          torchDataPkl(['0']),
          keysPickle(['0']),
          new Uint8Array(24),
        ),
      'old.pt',
    ],
    [
      'safetensors',
      () =>
        safetensors(
          {
            a: { dtype: 'F32', shape: [2, 2], offsets: [0, 16] },
            b: { dtype: 'BF16', shape: [8], offsets: [16, 32] },
          },
          32,
        ),
      'model.safetensors',
    ],
    [
      'GGUF with a benign chat template',
      () =>
        gguf(
          {
            'general.architecture': 'llama',
            'tokenizer.chat_template':
              "{% set ns = namespace(found=false) %}{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}{% endfor %}",
          },
          [{ name: 'w', dims: [4], offset: 0 }],
        ),
      'model.gguf',
    ],
    [
      'npz of int arrays (deflated)',
      () =>
        makeZip([
          { name: 'a.npy', data: npy('<i8', [2], new Uint8Array(16)), method: 8 },
          { name: 'b.npy', data: npy('<i8', [1], new Uint8Array(8)) },
        ]),
      'arrays.npz',
    ],
    [
      'tar of safetensors',
      () =>
        tar([
          {
            name: 'm/model.safetensors',
            data: safetensors({ a: { dtype: 'U8', shape: [4], offsets: [0, 4] } }, 4),
          },
        ]),
      'bundle.tar',
    ],
    [
      'gzip of a benign pickle',
      () => Uint8Array.from(gzipSync(P().proto(4).emptyList().stop().done())),
      'x.pkl.gz',
    ],
    ['ONNX model with relative external data', () => onnxModel('weights/w.bin'), 'model.onnx'],
    ['README text', () => utf8('# My model\n\nThis model classifies images.\n'), 'README.md'],
    ['Python source', () => utf8('import torch\nfrom x import y\n'), 'train.py'],
    [
      'config.json without auto_map',
      () => utf8(JSON.stringify({ architectures: ['BertModel'], hidden_size: 768 })),
      'config.json',
    ],
    [
      'tokenizer_config with a benign template',
      () => utf8(JSON.stringify({ chat_template: "{% for m in messages %}{{ m['content'] }}{% endfor %}" })),
      'tokenizer_config.json',
    ],
    ['empty file', () => new Uint8Array(0), 'empty.txt'],
    [
      'Keras archive without Lambda',
      () =>
        makeZip([
          {
            name: 'config.json',
            data: utf8(
              JSON.stringify({
                module: 'keras',
                class_name: 'Sequential',
                config: { layers: [{ module: 'keras.layers', class_name: 'Dense', config: {} }] },
              }),
            ),
          },
          { name: 'metadata.json', data: utf8('{"keras_version":"3.0.0"}') },
          {
            name: 'model.weights.h5',
            data: Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
          },
        ]),
      'model.keras',
    ],
  ];
  for (const [label, build, name] of benign) {
    it(label, () => {
      const report = scanBytes(build(), name);
      expect(report.verdict, JSON.stringify(report.findings, null, 1)).toBe('clean');
      expect(report.findings.filter((f) => f.severity !== 'info' && f.severity !== 'low')).toEqual([]);
    });
  }
});

describe('scan model: pseudo-Python and locations', () => {
  it('shows the decompiled call and the member chain', () => {
    const report = scanBytes(
      makeZip([{ name: 'archive/data.pkl', data: callP4('os', 'system', 'echo pwned') }]),
      'model.pt',
    );
    const f = report.findings.find((x) => x.ruleId === 'AG-MODEL-PICKLE-DANGEROUS-GLOBAL');
    expect(f?.evidence).toContain("os.system('echo pwned')");
    expect(f?.location).toMatchObject({ path: 'model.pt', member: 'archive/data.pkl', offset: 14 });
    expect(f?.references?.map((r) => r.label).join(' ')).toContain('CWE-502');
  });

  it('reports the inner finding of a nested pickle under its own location', () => {
    const report = scanBytes(
      P()
        .proto(4)
        .stackGlobal('pickle', 'loads')
        .bytes(callP4('os', 'system'))
        .tuple1()
        .reduce()
        .stop()
        .done(),
      'n.pkl',
    );
    const inner = report.findings.find((x) => x.message.includes('os.system'));
    expect(inner?.location?.member).toMatch(/^loaded@0x/);
  });

  it('finds the payload a frame-straddling operand hides from pickle.loads', () => {
    const hidden = Buffer.from('cos\nsystem\n(Vid\ntR0', 'latin1');
    const bytes = P()
      .proto(4)
      .frame(5)
      .op(0x42)
      .raw([hidden.length, 0, 0, 0])
      .raw(hidden)
      .pop()
      .none()
      .stop()
      .done();
    const report = scanBytes(bytes, 'f.pkl');
    expect(
      report.findings.some(
        (x) => x.message.includes('os.system') && x.location?.member?.startsWith('frame-reading'),
      ),
    ).toBe(true);
  });

  it('opt-in profiles allow their classes', () => {
    const bytes = callP4('sklearn.linear_model._logistic', 'LogisticRegression');
    expect(scanBytes(bytes, 'm.pkl').verdict).toBe('suspicious');
    expect(scanBytes(bytes, 'm.pkl', ['builtins', 'numpy', 'sklearn']).verdict).toBe('clean');
  });
});
