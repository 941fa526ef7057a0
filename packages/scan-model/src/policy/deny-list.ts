/**
 * Severity labels for globals that are NOT allowed. This list never decides "clean": a global missing here
 * is still at least medium (default-deny). It only says how bad a known one is and why, with the public
 * advisories that used it. Matching is on the dotted path and every prefix of it.
 */

export interface DenyRule {
  /** Dotted prefix: matches the name itself and everything below it. */
  readonly prefix: string;
  readonly severity: 'critical' | 'high';
  readonly why: string;
  readonly refs?: readonly string[];
}

const RUN = 'runs arbitrary code or shell commands';
const FILES = 'reads, writes or deletes files';
const NET = 'opens network connections';
const LOADER = 'deserialises further data, which can run code';

const r = (
  prefix: string,
  severity: DenyRule['severity'],
  why: string,
  refs?: readonly string[],
): DenyRule => (refs === undefined ? { prefix, severity, why } : { prefix, severity, why, refs });

export const DENY_RULES: readonly DenyRule[] = [
  ...['eval', 'exec', 'compile', '__import__', 'execfile', 'breakpoint', 'input'].map((n) =>
    r(`builtins.${n}`, 'critical', `builtin that ${RUN}`),
  ),
  ...['getattr', 'setattr', 'delattr', 'globals', 'locals', 'vars', 'type'].map((n) =>
    r(
      `builtins.${n}`,
      'critical',
      'reflection builtin: reaches any attribute of any object, a universal gadget',
    ),
  ),
  r('builtins.open', 'high', `builtin that ${FILES}`),
  r('builtins.file', 'high', `builtin that ${FILES}`),
  r('builtins.apply', 'critical', 'calls any callable with any arguments'),
  r('builtins.reload', 'critical', 're-executes a module'),
  ...['os', 'posix', 'nt', 'subprocess', 'pty', 'commands', 'popen2', 'spawn'].map((m) =>
    r(m, 'critical', `module that ${RUN}`, m === 'commands' ? ['CVE-2025-1716'] : undefined),
  ),
  r('sys', 'critical', 'interpreter internals (modules table, audit hooks, exit)'),
  r('runpy', 'critical', `module that ${RUN}`, ['GHSA-wfq2-52f7-7qvj']),
  r('code', 'critical', 'interactive interpreter that executes source strings'),
  r('codeop', 'critical', 'compiles source strings'),
  r('importlib', 'critical', 'imports arbitrary modules (import side effects run code)'),
  r('pkgutil', 'critical', 'resolves and imports arbitrary names (universal deny-list bypass)', [
    'GHSA-vvpj-8cmc-gx39',
  ]),
  r('imp', 'critical', 'imports arbitrary modules'),
  r('marshal', 'critical', 'builds code objects from bytes', ['GHSA-565g-hwwr-4pp3']),
  r('types', 'critical', 'builds code and function objects', ['GHSA-9m3x-qqw2-h32h']),
  r('ctypes', 'critical', 'calls native functions and writes memory'),
  r('_ctypes', 'critical', 'calls native functions and writes memory'),
  r('pickle', 'critical', LOADER),
  r('_pickle', 'critical', LOADER),
  r('cPickle', 'critical', LOADER),
  r('dill', 'critical', LOADER),
  r('cloudpickle', 'critical', `${LOADER}; rebuilds functions from bytecode`, ['GHSA-9m3x-qqw2-h32h']),
  r('shelve', 'critical', LOADER),
  r('joblib.load', 'critical', LOADER),
  r('numpy.load', 'critical', `${LOADER} (allow_pickle)`),
  r('numpy.f2py', 'critical', 'compiles and runs Fortran/C build tools'),
  r('numpy.testing', 'critical', 'test helpers that run subprocesses'),
  r('numpy.distutils', 'critical', `build helpers that ${RUN}`),
  r('torch.load', 'critical', LOADER, ['GHSA-655q-fx9r-782v']),
  r('torch.hub', 'critical', 'downloads and runs repository code'),
  r('torch.jit', 'critical', 'compiles and runs TorchScript'),
  r('torch._dynamo', 'critical', 'compiler internals that run generated code'),
  r('torch._inductor', 'critical', 'compiles and loads generated native code', ['GHSA-655q-fx9r-782v']),
  r('torch.utils.bottleneck', 'critical', 'profiler entry points that run code strings', [
    'GHSA-4r9r-ch6f-vxmx',
  ]),
  r('torch.utils.collect_env', 'critical', `environment probe that ${RUN}`),
  r('torch.utils.cpp_extension', 'critical', 'compiles and loads native extensions'),
  r('torch.storage._load_from_bytes', 'critical', LOADER),
  r('torch.serialization', 'high', 'serialisation internals; only _get_layout is needed by weights'),
  r('operator', 'critical', 'attrgetter/methodcaller/call reach and call any attribute', ['CVE-2025-1716']),
  r('_operator', 'critical', 'attrgetter/methodcaller/call reach and call any attribute'),
  r('functools', 'high', 'partial/reduce compose calls to other gadgets', ['GHSA-655q-fx9r-782v']),
  r('shutil', 'critical', `module that ${FILES} and runs commands`),
  r('tempfile', 'high', `module that ${FILES}`),
  r('io', 'high', `module that ${FILES}`, ['GHSA-9726-w42j-3qjr']),
  r('_io', 'high', `module that ${FILES}`, ['GHSA-9726-w42j-3qjr']),
  r('pathlib', 'high', `module that ${FILES}`, ['GHSA-5j3x-jp52-966f']),
  r('logging', 'high', 'handlers create files and sockets', ['GHSA-m7j5-r2p5-c39r']),
  r('distutils', 'critical', `build helpers that ${FILES} and ${RUN}`),
  r('setuptools', 'critical', `build helpers that ${RUN}`),
  r('pip', 'critical', 'installs packages (runs their setup code)', ['CVE-2025-1716']),
  r('venv', 'critical', 'creates environments and runs pip', ['GHSA-655q-fx9r-782v']),
  r('ensurepip', 'critical', 'runs pip'),
  r('pydoc', 'critical', 'pager runs shell commands; locate imports any name', ['GHSA-655q-fx9r-782v']),
  r('profile', 'critical', 'profile.run executes a code string', ['GHSA-7wx9-6375-f5wh']),
  r('cProfile', 'critical', 'cProfile.run executes a code string', ['GHSA-7wx9-6375-f5wh']),
  r('pdb', 'critical', 'debugger that executes code strings'),
  r('bdb', 'critical', 'debugger base that executes code strings'),
  r('timeit', 'critical', 'executes code strings'),
  r('trace', 'critical', 'executes code strings'),
  r('idlelib', 'critical', 'IDE internals that execute code'),
  r('uuid._get_command_stdout', 'critical', RUN, ['GHSA-g38g-8gr9-h9xp']),
  r('_osx_support', 'critical', RUN, ['GHSA-g38g-8gr9-h9xp']),
  r('_aix_support', 'critical', RUN, ['GHSA-g38g-8gr9-h9xp']),
  r('imaplib.IMAP4_stream', 'critical', RUN, ['GHSA-g38g-8gr9-h9xp']),
  r('_pyrepl', 'critical', 'REPL internals whose pager runs commands', ['GHSA-g38g-8gr9-h9xp']),
  r('test', 'critical', 'CPython test helpers that run interpreters and scripts', ['GHSA-g38g-8gr9-h9xp']),
  r('mailcap', 'critical', 'builds and runs shell command lines'),
  r('pipes', 'critical', 'builds and runs shell pipelines'),
  r('typing._eval_type', 'critical', 'evaluates a string as Python'),
  r('typing.get_type_hints', 'critical', 'evaluates annotation strings as Python'),
  r('typing.ForwardRef', 'critical', 'holds a string that is later evaluated as Python'),
  r('dataclasses._create_fn', 'critical', 'builds functions from source strings'),
  r('_interpreters', 'critical', 'runs code in subinterpreters'),
  r('_xxsubinterpreters', 'critical', 'runs code in subinterpreters'),
  r('multiprocessing', 'critical', 'spawns processes'),
  r('_posixsubprocess', 'critical', 'spawns processes'),
  r('asyncio', 'critical', 'subprocess and network transports', ['GHSA-jgw4-cr84-mqxg']),
  r('signal', 'high', 'changes process signal handling'),
  r('socket', 'high', NET),
  r('_socket', 'high', NET),
  r('ssl', 'high', NET),
  r('http', 'high', NET),
  r('httplib', 'high', NET),
  r('urllib', 'high', NET, ['GHSA-9726-w42j-3qjr']),
  r('urllib2', 'high', NET),
  r('requests', 'high', NET),
  r('aiohttp', 'high', NET),
  r('ftplib', 'high', NET),
  r('smtplib', 'high', NET),
  r('telnetlib', 'high', NET),
  r('xmlrpc', 'high', NET),
  r('webbrowser', 'high', 'opens URLs with external programs'),
  r('zipimport', 'critical', 'imports code from archives'),
  r('copyreg.add_extension', 'critical', 'registers extension codes that later EXT opcodes resolve'),
  r('sklearn.utils._testing', 'critical', 'test helpers that run code'),
  r('mlflow', 'high', 'runs project entry points'),
  r('pandas.read_csv', 'high', 'reads files and URLs (exfiltration)'),
  r('pandas.read_pickle', 'critical', LOADER),
];

/** Attribute names that are dangerous whatever module they are reached through. */
export const DANGEROUS_ATTRIBUTES: ReadonlySet<string> = new Set([
  'system',
  'popen',
  'spawn',
  'spawnv',
  'spawnl',
  'execv',
  'execve',
  'execl',
  'eval',
  'exec',
  'compile',
  '__import__',
  '__builtins__',
  '__globals__',
  '__subclasses__',
  '__getattribute__',
  '__reduce__',
  'getattr',
  'run',
  'call',
  'check_output',
  'getoutput',
  'Popen',
  'loads',
  'load',
  'import_module',
]);

const byPrefix = new Map(DENY_RULES.map((rule) => [rule.prefix, rule]));

/** The most specific deny rule for a dotted name, trying every prefix from the longest. */
export function denyRuleFor(full: string): DenyRule | undefined {
  let candidate = full;
  for (;;) {
    const hit = byPrefix.get(candidate);
    if (hit) return hit;
    const dot = candidate.lastIndexOf('.');
    if (dot < 0) return undefined;
    candidate = candidate.slice(0, dot);
  }
}
