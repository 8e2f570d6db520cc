from wflint.rules.base import Rule, names

#: pathlib.Path methods that touch the file system (pure path operations are fine)
PATH_IO_METHODS = (
    "read_text", "read_bytes", "write_text", "write_bytes", "open", "exists", "is_dir", "is_file",
    "is_symlink", "is_mount", "is_socket", "is_fifo", "is_block_device", "is_char_device",
    "is_junction", "iterdir", "glob", "rglob", "walk", "mkdir", "rmdir", "unlink", "touch",
    "rename", "replace", "resolve", "stat", "lstat", "chmod", "lchmod", "owner", "group",
    "readlink", "samefile", "symlink_to", "hardlink_to", "link_to", "copy", "copy_into", "move",
    "move_into",
)
PATH_CLASSES = ("pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath")
_OS_FS = (
    "listdir", "scandir", "walk", "fwalk", "remove", "unlink", "rename", "renames", "replace",
    "mkdir", "makedirs", "rmdir", "removedirs", "stat", "lstat", "chmod", "lchmod", "chown",
    "lchown", "link", "symlink", "readlink", "access", "truncate", "utime", "chdir", "fchdir",
    "chroot", "mkfifo", "mknod", "statvfs", "sync", "fsync", "open", "fdopen", "listxattr",
    "getxattr", "setxattr", "removexattr", "read", "write", "pread", "pwrite", "sendfile",
)
_OS_PATH_FS = ("exists", "lexists", "isfile", "isdir", "islink", "ismount", "isjunction",
               "getsize", "getmtime", "getatime", "getctime", "samefile", "realpath")


#: the TarFile and ZipFile methods that touch files other than the archive (whose opening is
#: reported, and which may live in memory): extracting to disk, adding files from it
_TAR_IO = ("extractall", "extract", "add")
_ZIP_IO = ("extractall", "extract", "write")


class FileIO(Rule):
    """
    ## What it does
    Flags file-system access in workflow code: `open()`, `io.open()`, `pathlib.Path` I/O
    methods (`read_text`, `write_bytes`, `exists`, `iterdir`, `glob`, `mkdir`, `unlink`,
    `resolve`, `stat`, ...), `os` and `os.path` operations that touch the disk (`listdir`,
    `walk`, `remove`, `os.path.exists`, `getsize`, ...), `shutil`, `tempfile`, `glob`,
    compressed and archive files (`gzip.open`, `tarfile.open`, `zipfile.ZipFile`, and what an
    archive held in a variable extracts to or adds from the disk: `tf.extractall()`,
    `zf.write(path)`), `dbm`,
    `shelve`, `fileinput`, `filecmp`, `marshal.dump/load` and `mmap`.

    Pure path manipulation (`os.path.join`, `Path("a").name`, `Path.with_suffix`) is fine.

    ## Why is this bad?
    Files change between the first run and a replay, and a replay may happen on another
    machine where the file does not exist. Reading them makes the workflow's decisions
    depend on the host; writing them repeats the write on every replay.

    ## Example
    ```python
    import json
    from dbos import DBOS

    @DBOS.workflow()
    def import_orders(path: str) -> int:
        with open(path) as f:
            orders = json.load(f)
        return len(orders)
    ```

    ## Use instead
    ```python
    import json
    from dbos import DBOS

    @DBOS.step()
    def load_orders(path: str) -> list:
        with open(path) as f:
            return json.load(f)

    @DBOS.workflow()
    def import_orders(path: str) -> int:
        orders = load_orders(path)
        return len(orders)
    ```

    ## Fix safety
    Unsafe: the expression moves into a new activity (a new `@DBOS.step()` in DBOS), called
    through the framework, which adds a durable command: in-flight instances need a version
    gate. The whole expression that depends on the hazard moves together (`sys.argv[1] if
    len(sys.argv) > 1 else d`, `json.load(open(p))`); datetimes and paths are sent as ISO strings
    and `str()` and rebuilt in the activity. Display-only when it cannot move: it uses the
    workflow context or its state, a live object (file, client, connection), yields or awaits
    itself, sits in a nested function, a helper or under a replay guard, or its value cannot
    cross the boundary.
    """

    code = "WFL301"
    fix_availability = "sometimes"
    message = "{call} touches the file system in {where}; {alternative}"
    calls = {
        "builtins.open": None,
        **names("io", ("open", "open_code", "FileIO")),
        "codecs.open": None,
        **names("os", _OS_FS),
        **names("os.path", _OS_PATH_FS),
        **{f"{cls}().{method}": None for cls in PATH_CLASSES for method in PATH_IO_METHODS},
        **names("gzip", ("open", "GzipFile")),
        **names("bz2", ("open", "BZ2File")),
        **names("lzma", ("open", "LZMAFile")),
        **names("tarfile", ("open", "TarFile")),
        **names("zipfile", ("ZipFile", "Path")),
        # what an archive opened in a variable reads or writes (``tf = tarfile.open(p)`` then
        # ``tf.extractall(dest)``)
        **{f"tarfile.{ctor}().{method}": None for ctor in ("open", "TarFile")
           for method in _TAR_IO},
        **{f"zipfile.ZipFile().{method}": None for method in _ZIP_IO},
        **names("marshal", ("dump", "load")),
        **names("linecache", ("getline", "getlines", "updatecache", "checkcache")),
    }
    prefixes = {
        "shutil": (),
        "tempfile": (),
        "glob": ("glob.escape", "glob.translate"),
        "dbm": (),
        "shelve": (),
        "fileinput": (),
        "filecmp": (),
        "mmap": (),
    }
