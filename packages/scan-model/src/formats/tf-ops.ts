import type { Severity } from '@atlasguard/core/findings';

/** Why a TensorFlow op matters when a graph is loaded and run. */
export interface OpRisk {
  readonly severity: Severity;
  readonly what: string;
}

const READS_ANY_FILE: OpRisk = {
  severity: 'high',
  what: 'reads a file named by a tensor: a graph can load any file the process can read',
};
const WRITES_ANY_FILE: OpRisk = {
  severity: 'high',
  what: 'writes a file named by a tensor: a graph can overwrite files the process can write',
};
const LISTS_FILES: OpRisk = {
  severity: 'high',
  what: 'lists files matching a glob: a graph can enumerate directories',
};
const PYTHON: OpRisk = {
  severity: 'high',
  what: 'calls a Python function of the loading process (tf.py_function / tf.numpy_function): the graph was built to run Python',
};
const MAPS_FILE: OpRisk = {
  severity: 'high',
  what: 'memory-maps a file whose path is an attribute of the node',
};
const NETWORK: OpRisk = {
  severity: 'high',
  what: 'opens network connections (RPC or tf.data service) from inside the graph',
};
const DATASET_WRITE: OpRisk = {
  severity: 'high',
  what: 'writes a dataset to files at a path chosen by the graph',
};
const FILE_READER: OpRisk = {
  severity: 'medium',
  what: 'file reader or file dataset: reads files named by tensors when the graph runs',
};
const CHECKPOINT_WRITE: OpRisk = {
  severity: 'high',
  what: 'checkpoint write outside the model saver: writes files at a path chosen by the graph',
};
const CHECKPOINT_READ: OpRisk = {
  severity: 'medium',
  what: 'checkpoint read outside the model saver: reads files at a path chosen by the graph',
};
const SUMMARY_WRITER: OpRisk = {
  severity: 'medium',
  what: 'creates a summary file writer: writes event files under a directory named by a tensor',
};
const DEBUG_SINK: OpRisk = {
  severity: 'medium',
  what: 'debugger op: can dump tensors to files or stream them to a URL named in its attributes',
};
const VOCAB_FILE: OpRisk = {
  severity: 'low',
  what: 'initialises a lookup table from a text file (normal for vocabulary assets shipped with the model)',
};

/**
 * Ops with side effects outside the tensor world. The rest of TensorFlow's op set computes on tensors only.
 * Checkpoint ops are expected inside the saver (see `CHECKPOINT_OPS`) and reported only elsewhere.
 */
export const RISKY_OPS: ReadonlyMap<string, OpRisk> = new Map<string, OpRisk>([
  ['ReadFile', READS_ANY_FILE],
  ['WriteFile', WRITES_ANY_FILE],
  ['MatchingFiles', LISTS_FILES],
  ['MatchingFilesDataset', LISTS_FILES],
  ['ExperimentalMatchingFilesDataset', LISTS_FILES],
  ['PyFunc', PYTHON],
  ['PyFuncStateless', PYTHON],
  ['EagerPyFunc', PYTHON],
  ['ImmutableConst', MAPS_FILE],
  ['Rpc', NETWORK],
  ['TryRpc', NETWORK],
  ['RpcClient', NETWORK],
  ['RpcServer', NETWORK],
  ['RpcServerStart', NETWORK],
  ['RpcServerRegister', NETWORK],
  ['RpcCall', NETWORK],
  ['DataServiceDataset', NETWORK],
  ['DataServiceDatasetV2', NETWORK],
  ['DataServiceDatasetV3', NETWORK],
  ['DataServiceDatasetV4', NETWORK],
  ['RegisterDataset', NETWORK],
  ['RegisterDatasetV2', NETWORK],
  ['DistributedSave', DATASET_WRITE],
  ['SaveDataset', DATASET_WRITE],
  ['SaveDatasetV2', DATASET_WRITE],
  ['DatasetToTFRecord', DATASET_WRITE],
  ['ExperimentalDatasetToTFRecord', DATASET_WRITE],
  ['WholeFileReader', FILE_READER],
  ['WholeFileReaderV2', FILE_READER],
  ['TextLineReader', FILE_READER],
  ['TextLineReaderV2', FILE_READER],
  ['TFRecordReader', FILE_READER],
  ['TFRecordReaderV2', FILE_READER],
  ['FixedLengthRecordReader', FILE_READER],
  ['FixedLengthRecordReaderV2', FILE_READER],
  ['LMDBReader', FILE_READER],
  ['TextLineDataset', FILE_READER],
  ['TFRecordDataset', FILE_READER],
  ['TFRecordDatasetV2', FILE_READER],
  ['FixedLengthRecordDataset', FILE_READER],
  ['FixedLengthRecordDatasetV2', FILE_READER],
  ['CSVDataset', FILE_READER],
  ['CSVDatasetV2', FILE_READER],
  ['ExperimentalCSVDataset', FILE_READER],
  ['LMDBDataset', FILE_READER],
  ['ExperimentalLMDBDataset', FILE_READER],
  ['SqlDataset', FILE_READER],
  ['ExperimentalSqlDataset', FILE_READER],
  ['LoadDataset', FILE_READER],
  ['LoadAndRemapMatrix', FILE_READER],
  ['GenerateVocabRemapping', FILE_READER],
  ['CreateSummaryFileWriter', SUMMARY_WRITER],
  ['CreateSummaryDbWriter', SUMMARY_WRITER],
  ['DebugIdentity', DEBUG_SINK],
  ['DebugIdentityV2', DEBUG_SINK],
  ['DebugIdentityV3', DEBUG_SINK],
  ['DebugNanCount', DEBUG_SINK],
  ['DebugNumericSummary', DEBUG_SINK],
  ['DebugNumericSummaryV2', DEBUG_SINK],
  ['InitializeTableFromTextFile', VOCAB_FILE],
  ['InitializeTableFromTextFileV2', VOCAB_FILE],
]);

/** Checkpoint ops: the model's own saver uses them; anywhere else they are file access. */
export const CHECKPOINT_OPS: ReadonlyMap<string, OpRisk> = new Map<string, OpRisk>([
  ['Save', CHECKPOINT_WRITE],
  ['SaveV2', CHECKPOINT_WRITE],
  ['SaveSlices', CHECKPOINT_WRITE],
  ['MergeV2Checkpoints', CHECKPOINT_WRITE],
  ['Restore', CHECKPOINT_READ],
  ['RestoreV2', CHECKPOINT_READ],
  ['RestoreSlice', CHECKPOINT_READ],
]);

/** Functions TensorFlow itself generates for the object-based saver (`tf.saved_model.save`). */
export const SAVER_FUNCTION = /^__inference__traced_(save|restore)_\d+$/;
