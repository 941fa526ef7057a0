/**
 * Allow-list profiles: the only globals a pickle may import and still be called clean. Everything else is
 * at least suspicious (default-deny). Each entry says why loading it cannot run attacker-chosen code.
 * Names are full dotted paths as the loader resolves them (module + '.' + qualified name).
 */

/** How an allowed global may be used: classes may be instantiated, functions called, constants only read. */
export type GlobalKind = 'class' | 'function' | 'constant';

export interface AllowEntry {
  readonly name: string;
  readonly kind: GlobalKind;
  readonly why: string;
  /**
   * BUILD (`__setstate__` / attribute update) may be applied to what this global makes. Off by default: as with
   * torch.load(weights_only=True), state is accepted only on the types that are restored that way.
   */
  readonly build?: boolean;
}

export const PROFILE_IDS = [
  'builtins',
  'torch',
  'numpy',
  'sklearn',
  'xgboost',
  'lightgbm',
  'transformers',
  'tokenizers',
] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

/** Profiles on unless the user picks others with --profile. */
export const DEFAULT_PROFILES: readonly ProfileId[] = ['builtins', 'torch', 'numpy'];

const e = (name: string, kind: GlobalKind, why: string): AllowEntry => ({ name, kind, why });
/** An entry whose results legitimately receive BUILD state. */
const b = (name: string, kind: GlobalKind, why: string): AllowEntry => ({ name, kind, why, build: true });

const CONTAINER = 'a plain container or scalar type: building it runs no user code';

const BUILTINS: readonly AllowEntry[] = [
  e('builtins.set', 'class', CONTAINER),
  e('builtins.frozenset', 'class', CONTAINER),
  e('builtins.bytearray', 'class', CONTAINER),
  e('builtins.bytes', 'class', CONTAINER),
  e('builtins.complex', 'class', CONTAINER),
  e('builtins.slice', 'class', CONTAINER),
  e('builtins.range', 'class', CONTAINER),
  e('builtins.int', 'class', CONTAINER),
  e('builtins.float', 'class', CONTAINER),
  e('builtins.bool', 'class', CONTAINER),
  e('builtins.str', 'class', CONTAINER),
  e('builtins.list', 'class', CONTAINER),
  e('builtins.dict', 'class', CONTAINER),
  e('builtins.tuple', 'class', CONTAINER),
  b(
    'builtins.object',
    'class',
    'the base class named by protocol 0/1 object pickles (copyreg._reconstructor(cls, object, None)); calling it makes an empty object',
  ),
  b(
    'collections.OrderedDict',
    'class',
    'ordered mapping used by every PyTorch state_dict (BUILD sets _metadata)',
  ),
  e('collections.Counter', 'class', 'a dict subclass with counts; no callables are invoked on load'),
  e('collections.deque', 'class', 'a sequence container; its constructor only iterates the given items'),
  e(
    '_codecs.encode',
    'function',
    'protocol-2 pickles encode bytes as encode(str, "latin1"); only text codecs turn str into bytes',
  ),
  b(
    'copyreg._reconstructor',
    'function',
    'rebuilds an instance of a class already on the allow-list (the class argument is checked separately)',
  ),
];

const TORCH_REBUILD = [
  '_rebuild_tensor',
  '_rebuild_tensor_v2',
  '_rebuild_tensor_v3',
  '_rebuild_parameter',
  '_rebuild_parameter_with_state',
  '_rebuild_qtensor',
  '_rebuild_sparse_tensor',
  '_rebuild_nested_tensor',
  '_rebuild_meta_tensor_no_storage',
  '_rebuild_wrapper_subclass',
  '_rebuild_device_tensor_from_cpu_tensor',
  '_rebuild_device_tensor_from_numpy',
];
const TORCH_STORAGES = [
  'FloatStorage',
  'DoubleStorage',
  'HalfStorage',
  'BFloat16Storage',
  'LongStorage',
  'IntStorage',
  'ShortStorage',
  'CharStorage',
  'ByteStorage',
  'BoolStorage',
  'ComplexFloatStorage',
  'ComplexDoubleStorage',
  'QInt8Storage',
  'QUInt8Storage',
  'QInt32Storage',
  'QUInt4x2Storage',
  'QUInt2x4Storage',
];
const TORCH_DTYPES = [
  'float32',
  'float64',
  'float16',
  'bfloat16',
  'float',
  'double',
  'half',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'bool',
  'complex64',
  'complex128',
  'cfloat',
  'cdouble',
  'qint8',
  'quint8',
  'qint32',
  'quint4x2',
  'float8_e4m3fn',
  'float8_e5m2',
  'long',
  'int',
  'short',
];

const TORCH: readonly AllowEntry[] = [
  ...TORCH_REBUILD.map((n) =>
    b(
      `torch._utils.${n}`,
      'function',
      'tensor reconstruction helper on the weights_only allow-list of torch.load: takes storage, shape, strides',
    ),
  ),
  ...TORCH_STORAGES.map((n) =>
    e(`torch.${n}`, 'class', 'typed storage class named by persistent ids; holds raw numbers only'),
  ),
  ...TORCH_DTYPES.map((n) => e(`torch.${n}`, 'constant', 'a dtype constant; reading it runs no code')),
  e('torch.storage.UntypedStorage', 'class', 'raw byte storage named by persistent ids'),
  e('torch.storage.TypedStorage', 'class', 'typed storage wrapper named by persistent ids'),
  e('torch.UntypedStorage', 'class', 'raw byte storage named by persistent ids'),
  e('torch.Size', 'class', 'a tuple of ints describing a shape'),
  b('torch.Tensor', 'class', 'the tensor type itself; state is restored by the weights_only rules'),
  e('torch.device', 'class', 'a device descriptor built from a string such as "cpu"'),
  e('torch._tensor._rebuild_from_type_v2', 'function', 'rebuilds tensor subclasses of allowed types'),
  b('torch.nn.parameter.Parameter', 'class', 'a tensor marked as a trainable parameter'),
  e('torch.serialization._get_layout', 'function', 'maps a layout name string to a torch layout constant'),
  e('torch.strided', 'constant', 'layout constant'),
  e('torch.sparse_coo', 'constant', 'layout constant'),
  e('torch.sparse_csr', 'constant', 'layout constant'),
  e('torch.per_tensor_affine', 'constant', 'quantisation scheme constant'),
  e('torch.per_channel_affine', 'constant', 'quantisation scheme constant'),
  e('torch.per_tensor_symmetric', 'constant', 'quantisation scheme constant'),
  e('torch.per_channel_symmetric', 'constant', 'quantisation scheme constant'),
  e('torch.memory_format', 'class', 'memory format descriptor'),
  e('torch.contiguous_format', 'constant', 'memory format constant'),
  e('torch.channels_last', 'constant', 'memory format constant'),
];

const NUMPY: readonly AllowEntry[] = [
  ...['numpy.core', 'numpy._core'].flatMap((m) => [
    b(
      `${m}.multiarray._reconstruct`,
      'function',
      'creates an empty ndarray of a given dtype; state comes later',
    ),
    e(`${m}.multiarray.scalar`, 'function', 'builds a numpy scalar from a dtype and raw bytes'),
    e(`${m}.numeric._frombuffer`, 'function', 'wraps raw bytes as an array (protocol-5 array pickles)'),
  ]),
  b('numpy.ndarray', 'class', 'the array type; __setstate__ only copies raw data'),
  b('numpy.dtype', 'class', 'dtype built from a type string such as "f8"'),
  b('numpy.ma.core._mareconstruct', 'function', 'creates an empty masked array; state comes later'),
  b('numpy.ma.core.MaskedArray', 'class', 'masked array type; state is plain data'),
  b(
    'joblib.numpy_pickle.NumpyArrayWrapper',
    'class',
    'joblib marker for an array whose raw bytes follow inline; the scanner parses what follows',
  ),
  b('joblib.numpy_pickle.NDArrayWrapper', 'class', 'older joblib marker for an array stored in a side file'),
];
const NUMPY_DTYPE_CLASSES = [
  'Float64DType',
  'Float32DType',
  'Float16DType',
  'Int64DType',
  'Int32DType',
  'Int16DType',
  'Int8DType',
  'UInt64DType',
  'UInt32DType',
  'UInt16DType',
  'UInt8DType',
  'BoolDType',
  'Complex64DType',
  'Complex128DType',
  'ObjectDType',
  'StrDType',
  'BytesDType',
  'VoidDType',
  'DateTime64DType',
  'TimeDelta64DType',
  'LongDType',
  'ULongDType',
  'LongLongDType',
  'ULongLongDType',
];

const NUMPY_FULL: readonly AllowEntry[] = [
  ...NUMPY,
  ...NUMPY_DTYPE_CLASSES.map((n) => e(`numpy.dtypes.${n}`, 'class', 'a dtype class of numpy >= 1.25')),
];

const SKLEARN_SUPPORT: readonly AllowEntry[] = [
  b('sklearn.tree._tree.Tree', 'class', 'fitted tree arrays; __setstate__ validates node arrays'),
  b('sklearn._loss.loss.HalfBinomialLoss', 'class', 'loss object with no callable state'),
  b('sklearn._loss.loss.HalfMultinomialLoss', 'class', 'loss object with no callable state'),
  b('sklearn._loss.loss.HalfSquaredError', 'class', 'loss object with no callable state'),
  b('sklearn._loss.link.IdentityLink', 'class', 'link function object with no callable state'),
  b('sklearn._loss.link.LogitLink', 'class', 'link function object with no callable state'),
  b('numpy.random._pickle.__randomstate_ctor', 'function', 'builds a RandomState from a bit generator name'),
  b('numpy.random._pickle.__bit_generator_ctor', 'function', 'builds a bit generator from its name'),
  b('numpy.random.mtrand.RandomState', 'class', 'random state holder'),
];
const SKLEARN_ESTIMATORS = [
  'linear_model._logistic.LogisticRegression',
  'linear_model._base.LinearRegression',
  'linear_model._ridge.Ridge',
  'linear_model._coordinate_descent.Lasso',
  'linear_model._stochastic_gradient.SGDClassifier',
  'tree._classes.DecisionTreeClassifier',
  'tree._classes.DecisionTreeRegressor',
  'ensemble._forest.RandomForestClassifier',
  'ensemble._forest.RandomForestRegressor',
  'ensemble._gb.GradientBoostingClassifier',
  'ensemble._gb.GradientBoostingRegressor',
  'svm._classes.SVC',
  'svm._classes.LinearSVC',
  'neighbors._classification.KNeighborsClassifier',
  'naive_bayes.GaussianNB',
  'cluster._kmeans.KMeans',
  'decomposition._pca.PCA',
  'preprocessing._data.StandardScaler',
  'preprocessing._data.MinMaxScaler',
  'preprocessing._label.LabelEncoder',
  'preprocessing._encoders.OneHotEncoder',
  'feature_extraction.text.TfidfVectorizer',
  'feature_extraction.text.CountVectorizer',
  'pipeline.Pipeline',
  'compose._column_transformer.ColumnTransformer',
];

const SKLEARN: readonly AllowEntry[] = [
  ...SKLEARN_SUPPORT,
  ...SKLEARN_ESTIMATORS.map((n) =>
    b(`sklearn.${n}`, 'class', 'estimator class: unpickling restores its attribute dict, no callables run'),
  ),
];

const XGBOOST: readonly AllowEntry[] = [
  b('xgboost.core.Booster', 'class', 'booster whose state is the serialised model buffer'),
  ...['XGBClassifier', 'XGBRegressor', 'XGBRanker', 'XGBModel'].map((n) =>
    b(`xgboost.sklearn.${n}`, 'class', 'scikit-learn wrapper holding parameters and a Booster'),
  ),
];

const LIGHTGBM: readonly AllowEntry[] = [
  b('lightgbm.basic.Booster', 'class', 'booster whose state is the model text'),
  ...['LGBMClassifier', 'LGBMRegressor', 'LGBMRanker', 'LGBMModel'].map((n) =>
    b(`lightgbm.sklearn.${n}`, 'class', 'scikit-learn wrapper holding parameters and a Booster'),
  ),
];

const TRANSFORMERS: readonly AllowEntry[] = [
  b(
    'transformers.training_args.TrainingArguments',
    'class',
    'dataclass of training options (training_args.bin)',
  ),
  e('transformers.training_args.OptimizerNames', 'class', 'string enum of optimiser names'),
  e('transformers.trainer_utils.IntervalStrategy', 'class', 'string enum'),
  e('transformers.trainer_utils.SchedulerType', 'class', 'string enum'),
  e('transformers.trainer_utils.HubStrategy', 'class', 'string enum'),
  e('transformers.trainer_utils.SaveStrategy', 'class', 'string enum'),
  e('transformers.debug_utils.DebugOption', 'class', 'string enum'),
  b('transformers.integrations.deepspeed.HfDeepSpeedConfig', 'class', 'plain configuration holder'),
  e('accelerate.utils.dataclasses.DistributedType', 'class', 'string enum stored in training arguments'),
  e('enum.Enum', 'class', 'enum base used by the string enums above'),
];

const TOKENIZERS: readonly AllowEntry[] = [
  b('tokenizers.Tokenizer', 'class', 'Rust tokenizer restored from its JSON state'),
  b('tokenizers.AddedToken', 'class', 'token text with flags'),
  ...['BPE', 'WordPiece', 'Unigram', 'WordLevel'].map((n) =>
    b(`tokenizers.models.${n}`, 'class', 'tokenizer model restored from its JSON state'),
  ),
];

export const ALLOW_PROFILES: Readonly<Record<ProfileId, readonly AllowEntry[]>> = {
  builtins: BUILTINS,
  torch: TORCH,
  numpy: NUMPY_FULL,
  sklearn: SKLEARN,
  xgboost: XGBOOST,
  lightgbm: LIGHTGBM,
  transformers: TRANSFORMERS,
  tokenizers: TOKENIZERS,
};

/** One lookup table for the chosen profiles. */
export function buildAllowTable(profiles: readonly ProfileId[]): ReadonlyMap<string, AllowEntry> {
  const table = new Map<string, AllowEntry>();
  for (const id of profiles) for (const entry of ALLOW_PROFILES[id]) table.set(entry.name, entry);
  return table;
}
