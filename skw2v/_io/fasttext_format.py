"""Facebook fastText models: read and write ``.bin`` (word vectors and supervised
classifiers, format 12), and read quantized ``.ftz`` classifiers.

Layout (little-endian, as Facebook's ``FastText::saveModel`` writes it on x86):
magic ``793712314`` and version (int32); 12 int32 arguments and the sampling threshold
(float64); the dictionary (size, nwords, nlabels as int32; ntokens and pruneidx_size as
int64; then per entry its UTF-8 bytes, a NUL, its count as int64 and its type as int8:
0 for the words, then 1 for the labels; then pruneidx_size pairs of int32, bucket ->
kept n-gram index, when ``-cutoff`` pruned the n-grams: -1 means not pruned, 0 that no
n-gram was kept); then the input matrix and the output matrix, each a quantization flag
(1 byte) and either rows and columns (int64) and the float32 values, or a quantized
matrix (Facebook's ``QuantMatrix``: a norm flag, rows, columns, the code size, one byte
code per row and sub-vector, the product quantizer — dimension, sub-vectors, sub-vector
size, last sub-vector size (int32) and 256 centroids per sub-vector — and, with the norm
flag, one byte code per row into a 256-entry quantizer of the norms).

Every size a file declares is checked against the bytes that follow it (or against the
machine's memory, for a compressed file) before anything is allocated, and damaged or
truncated files raise ``ValueError`` naming the byte offset.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field

import numpy as np

from .._kernels.subwords import MAX_ROWS, check_bucket_memory, physical_memory
from .files import DAMAGED_COMPRESSED, OPENERS, atomic_open, first_non_finite_row, open_file

MAGIC = 793712314
VERSION = 12
#: The header's arguments, in file order (Facebook's ``Args::save``).
ARG_FIELDS = ("dim", "ws", "epoch", "min_count", "neg", "word_ngrams", "loss", "model",
              "bucket", "minn", "maxn", "lr_update_rate")  # fmt: skip
#: ``loss`` codes: hierarchical softmax, negative sampling, softmax, one-vs-all; ``model``
#: codes: CBOW, skip-gram, supervised.
LOSS_HS, LOSS_NS, LOSS_SOFTMAX, LOSS_OVA = 1, 2, 3, 4
MODEL_CBOW, MODEL_SKIPGRAM, MODEL_SUPERVISED = 1, 2, 3
_MAX_WORD_BYTES = 1 << 20
_BLOCK = 1 << 24
#: Centroids per sub-vector of Facebook's product quantizer (8-bit codes).
_KSUB = 256


@dataclass
class FacebookModel:
    """The content of a ``.bin`` file: arguments, dictionary and matrices."""

    args: dict
    words: list[str]
    counts: np.ndarray
    ntokens: int
    input_matrix: np.ndarray
    output_matrix: np.ndarray | None = None
    t: float = 1e-4
    #: supervised models: the labels (with their prefix) and their counts
    labels: list[str] = field(default_factory=list)
    label_counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: pruned models (``-cutoff``): bucket -> kept n-gram index (``int32``); None if unpruned
    prune_map: np.ndarray | None = None
    quantized: bool = False

    @property
    def has_subwords(self) -> bool:
        return self.args["maxn"] > 0 and self.args["bucket"] > 0


# ---------------------------------------------------------------------------- writing
def write_facebook(path: str | os.PathLike, model: FacebookModel) -> None:
    """Write ``model`` atomically in Facebook's ``.bin`` format."""
    n_words = len(model.words)
    n_labels = len(model.labels)
    encoded = []
    for word in [*model.words, *model.labels]:
        try:
            raw = word.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(
                f"Word {word!r} cannot be stored in a fastText file: it is not valid Unicode "
                f"text ({exc.reason}, e.g. a lone surrogate), and would be read back as other "
                "text; remove or repair it first."
            ) from None
        if b"\0" in raw or not raw:
            raise ValueError(
                f"Word {word!r} cannot be stored in a fastText file (empty, or holds a NUL "
                "byte, which ends words there)."
            )
        encoded.append(raw)
    with atomic_open(path) as out:
        out.write(struct.pack("<2i", MAGIC, VERSION))
        out.write(struct.pack("<12i", *(int(model.args[name]) for name in ARG_FIELDS)))
        out.write(struct.pack("<d", model.t))
        out.write(struct.pack("<3i2q", n_words + n_labels, n_words, n_labels,
                              int(model.ntokens), -1))  # fmt: skip
        entry = struct.Struct("<qb")
        counts = [*model.counts, *model.label_counts]
        kinds = [0] * n_words + [1] * n_labels
        out.write(b"".join(raw + b"\0" + entry.pack(int(count), kind)
                           for raw, count, kind in zip(encoded, counts, kinds)))  # fmt: skip
        for matrix in (model.input_matrix, model.output_matrix):
            matrix = np.ascontiguousarray(matrix, dtype="<f4")
            out.write(struct.pack("<?2q", False, *matrix.shape))
            out.write(memoryview(matrix).cast("B"))


# ---------------------------------------------------------------------------- reading
class _Reader:
    """Sequential reads with the file offset and size at hand, for error messages."""

    def __init__(self, handle, path, size: int | None) -> None:
        self.handle = handle
        self.path = os.fspath(path)
        self.size = size  # None for a compressed file
        self.offset = 0

    def fail(self, message: str, offset: int | None = None) -> ValueError:
        where = self.offset if offset is None else offset
        return ValueError(f"{self.path} is not a valid fastText .bin file: {message} (at byte "
                          f"offset {where}).")  # fmt: skip

    def read(self, n: int, what: str) -> bytes:
        try:
            data = self.handle.read(n)
        except (OSError, *DAMAGED_COMPRESSED) as exc:
            raise self.damaged(exc) from None
        if len(data) < n:
            raise self.fail(f"the file ends inside {what} ({len(data)} of {n} bytes)")
        self.offset += n
        return data

    def damaged(self, exc: BaseException) -> BaseException:
        """The error to raise for ``exc`` from a read: a damaged compressed stream (bz2
        raises a bare ``OSError``) is a ``ValueError`` naming the file; a real I/O error
        (with an ``errno``) stays what it is."""
        if isinstance(exc, OSError) and exc.errno is not None:
            return exc
        return self.fail(f"the compressed stream is damaged ({exc})")

    def unpack(self, fmt: str, what: str) -> tuple:
        return struct.unpack(fmt, self.read(struct.calcsize(fmt), what))

    def check_room(self, n_bytes: int, what: str) -> None:
        """``n_bytes`` more bytes must exist (plain file) or fit in memory (compressed)."""
        if self.size is not None:
            if self.offset + n_bytes > self.size:
                raise self.fail(f"{what} needs {n_bytes:,} bytes but only "
                                f"{self.size - self.offset:,} remain (truncated?)")  # fmt: skip
        elif n_bytes > max(physical_memory(), 1 << 30):
            raise self.fail(f"{what} declares {n_bytes:,} bytes, more than this machine's memory")

    def read_floats(self, rows: int, cols: int, what: str) -> np.ndarray:
        out = np.empty((rows, cols), dtype="<f4")
        view = memoryview(out).cast("B")
        done = 0
        while done < len(view):
            stop = min(done + _BLOCK, len(view))
            try:
                got = self.handle.readinto(view[done:stop])
            except (OSError, *DAMAGED_COMPRESSED) as exc:
                raise self.damaged(exc) from None
            if not got:
                raise self.fail(f"the file ends inside {what} ({done:,} of {len(view):,} "
                                "bytes)", self.offset + done)  # fmt: skip
            done += got
        self.offset += done
        return out.astype(np.float32, copy=False)


def read_facebook(
    path: str | os.PathLike, *, with_output: bool = True, supervised: bool = False
) -> FacebookModel:
    """Read a Facebook fastText model: an unsupervised ``.bin`` (word vectors), or with
    ``supervised`` a classifier's ``.bin`` or quantized ``.ftz`` (whose matrices are
    returned decoded to float32).

    ``with_output=False`` skips the output layer (half the file of a pretrained model);
    its declared size is still checked.
    """
    path = os.fspath(path)
    compressed = os.path.splitext(path)[1] in OPENERS
    with open_file(path, "rb") as handle:
        size = None if compressed else os.fstat(handle.fileno()).st_size
        return _read(_Reader(handle, path, size), with_output, supervised)


def is_facebook_file(path: str | os.PathLike) -> bool:
    """Whether the file starts with fastText's magic number."""
    try:
        with open_file(path, "rb") as handle:
            head = handle.read(4)
    except (OSError, *DAMAGED_COMPRESSED):
        return False
    return len(head) == 4 and struct.unpack("<i", head)[0] == MAGIC


def _read(reader: _Reader, with_output: bool, supervised: bool = False) -> FacebookModel:
    magic, version = reader.unpack("<2i", "the header")
    if magic != MAGIC:
        raise reader.fail(f"magic number {magic}, expected {MAGIC}", 0)
    if not 11 <= version <= VERSION:
        raise reader.fail(f"format version {version}; this reader knows versions 11 and 12", 4)
    args = dict(zip(ARG_FIELDS, reader.unpack("<12i", "the arguments")))
    (t,) = reader.unpack("<d", "the arguments")
    _check_args(reader, args)
    size, nwords, nlabels = reader.unpack("<3i", "the dictionary header")
    ntokens, prune_size = reader.unpack("<2q", "the dictionary header")
    is_supervised = bool(nlabels) or args["model"] == MODEL_SUPERVISED
    if is_supervised and not supervised:
        raise reader.fail("a supervised (classifier) model; load it with "
                          "FastTextClassifier.load_facebook_model")  # fmt: skip
    if supervised and not is_supervised:
        raise reader.fail("a word-vector model (skip-gram or CBOW), not a classifier; load "
                          "it with SubwordVectors.load_facebook_format")  # fmt: skip
    if supervised and (nlabels < 1 or args["model"] != MODEL_SUPERVISED):
        raise reader.fail(f"a classifier with {nlabels} labels and model code {args['model']}")
    if size != nwords + nlabels or nwords < 1 or nlabels < 0:
        raise reader.fail(f"dictionary of {size} entries for {nwords} words and {nlabels} labels")
    if prune_size < -1 or prune_size > MAX_ROWS:
        raise reader.fail(f"a pruned n-gram index of {prune_size:,} entries")
    if prune_size == 0:  # fastText then adds no n-gram rows
        args = dict(args, maxn=0, word_ngrams=1)
    reader.check_room(10 * size, f"a dictionary of {size:,} entries")
    words, counts = _read_dictionary(reader, nwords, nlabels)
    labels, label_counts = words[nwords:], counts[nwords:]
    words, counts = words[:nwords], counts[:nwords]
    if len(set(words)) != nwords or len(set(labels)) != nlabels:
        raise reader.fail("the dictionary holds a word or a label twice")
    prune_map = _read_prune_index(reader, prune_size, args["bucket"]) if prune_size > 0 else None
    n_buckets = args["bucket"] if prune_size < 0 else prune_size
    if args["maxn"] > 0 or args["word_ngrams"] > 1:
        check_bucket_memory(n_buckets, args["dim"], nwords)
    (quantized,) = reader.unpack("<?", "the input matrix header")
    input_matrix = _read_matrix(reader, "input matrix", nwords + n_buckets, args["dim"],
                                quantized=quantized)  # fmt: skip
    (quantized_output,) = reader.unpack("<?", "the output matrix header")
    output = _read_matrix(reader, "output matrix", nlabels if supervised else None, args["dim"],
                          skip=not with_output, quantized=quantized_output)  # fmt: skip
    if reader.size is not None and reader.offset != reader.size:
        raise reader.fail(f"{reader.size - reader.offset:,} unexpected bytes after the model")
    return FacebookModel(args, words, counts, ntokens, input_matrix, output, t, labels,
                         label_counts, prune_map, quantized)  # fmt: skip


def _read_prune_index(reader: _Reader, prune_size: int, bucket: int) -> np.ndarray:
    """The ``-cutoff`` index (bucket -> kept n-gram) as a dense map, -1 for dropped."""
    start = reader.offset
    reader.check_room(8 * prune_size, f"a pruned n-gram index of {prune_size:,} entries")
    pairs = np.frombuffer(reader.read(8 * prune_size, "the pruned n-gram index"), dtype="<i4")
    keys, values = pairs[0::2], pairs[1::2]
    if (keys.min() < 0 or keys.max() >= bucket or values.min() < 0
            or values.max() >= prune_size):  # fmt: skip
        raise reader.fail(f"the pruned n-gram index maps outside {bucket:,} buckets and "
                          f"{prune_size:,} kept n-grams", start)  # fmt: skip
    prune_map = np.full(bucket, -1, dtype=np.int32)
    prune_map[keys] = values
    if np.unique(keys).shape[0] != prune_size or np.unique(values).shape[0] != prune_size:
        raise reader.fail("the pruned n-gram index repeats a bucket or a row", start)
    return prune_map


def _check_args(reader: _Reader, args: dict) -> None:
    problems = []
    if not 1 <= args["dim"] <= 100_000:
        problems.append(f"dim={args['dim']}")
    if not 0 <= args["bucket"] <= MAX_ROWS:
        problems.append(f"bucket={args['bucket']}")
    if args["maxn"] > 0 and not 1 <= args["minn"] <= args["maxn"]:
        problems.append(f"minn={args['minn']}, maxn={args['maxn']}")
    if args["maxn"] > 0 and args["bucket"] == 0:
        args["maxn"] = 0  # n-grams without buckets: fastText never looks them up
    if problems:
        raise reader.fail("impossible arguments " + ", ".join(problems), 8)


def _read_dictionary(
    reader: _Reader, nwords: int, nlabels: int = 0
) -> tuple[list[str], np.ndarray]:
    """``nwords`` words then ``nlabels`` labels (NUL-terminated UTF-8) with int64 counts
    and int8 types (0 word, 1 label), read in blocks."""
    words: list[str] = []
    counts: list[int] = []  # grows with what is read: a declared size allocates nothing
    buffer = b""
    pos = 0
    base = reader.offset  # file offset of buffer[0]
    entry = struct.Struct("<qb")
    for i in range(nwords + nlabels):
        while True:
            nul = buffer.find(b"\0", pos, pos + _MAX_WORD_BYTES + 1)
            if nul >= 0 and nul + 10 <= len(buffer):
                break
            if nul < 0 and len(buffer) - pos > _MAX_WORD_BYTES:
                raise reader.fail(f"word {i} is longer than {_MAX_WORD_BYTES:,} bytes "
                                  "(damaged dictionary)", base + pos)  # fmt: skip
            try:
                more = reader.handle.read(_BLOCK)
            except (OSError, *DAMAGED_COMPRESSED) as exc:
                raise reader.damaged(exc) from None
            if not more:
                raise reader.fail(f"the file ends inside word {i} of {nwords:,}", base + pos)
            buffer = buffer[pos:] + more
            base += pos
            pos = 0
        words.append(buffer[pos:nul].decode("utf-8", "backslashreplace"))
        count, kind = entry.unpack_from(buffer, nul + 1)
        if kind != (0 if i < nwords else 1):
            expected = "a word (type 0)" if i < nwords else "a label (type 1)"
            raise reader.fail(f"entry {i} has type {kind}, expected {expected}", nul + 9 + base)
        if count < 0:
            raise reader.fail(f"word {i} has the negative count {count:,}", nul + 1 + base)
        counts.append(count)
        pos = nul + 10
    # hand the unread rest of the buffer back: seek the file to the end of the dictionary
    reader.offset = base + pos
    _seek(reader, reader.offset)
    return words, np.array(counts, dtype=np.int64)


def _seek(reader: _Reader, offset: int) -> None:
    try:
        reader.handle.seek(offset)
    except (OSError, *DAMAGED_COMPRESSED) as exc:
        raise reader.fail(f"cannot seek ({exc})") from None


def _read_matrix(
    reader: _Reader,
    what: str,
    rows: int | None,
    dim: int,
    skip: bool = False,
    quantized: bool = False,
):
    """A dense matrix (or, ``quantized``, a product-quantized one, decoded) after its
    quantization flag; ``rows=None`` accepts any number of rows."""
    if quantized:
        return _read_quantized(reader, what, rows, dim)
    start = reader.offset
    m, n = reader.unpack("<2q", f"the {what} header")
    if n != dim or m < 1 or (rows is not None and m != rows) or m > MAX_ROWS:
        expected = f"{rows:,} x {dim}" if rows is not None else f"rows x {dim}"
        raise reader.fail(f"the {what} is {m:,} x {n:,}, expected {expected}", start)
    reader.check_room(4 * m * n, f"the {what} ({m:,} x {n:,} float32)")
    if skip:
        if reader.size is not None:
            reader.offset += 4 * m * n
            _seek(reader, reader.offset)
        else:  # a compressed stream: read through it in blocks, keeping nothing
            remaining = 4 * m * n
            while remaining:
                reader.read(min(remaining, _BLOCK), f"the {what}")
                remaining -= min(remaining, _BLOCK)
        return None
    matrix = reader.read_floats(m, n, f"the {what}")
    row = first_non_finite_row(matrix)
    if row >= 0:
        raise reader.fail(f"row {row} of the {what} holds NaN or infinite values",
                          start + 16 + 4 * n * row)  # fmt: skip
    return matrix


def _read_quantized(reader: _Reader, what: str, rows: int | None, dim: int) -> np.ndarray:
    """Facebook's ``QuantMatrix``, decoded: row ``i`` is the concatenation of its
    sub-vectors' centroids, times its norm's centroid with ``qnorm``."""
    start = reader.offset
    qnorm, m, n, codesize = reader.unpack("<?2qi", f"the quantized {what} header")
    if n != dim or m < 1 or (rows is not None and m != rows) or m > MAX_ROWS:
        expected = f"{rows:,} x {dim}" if rows is not None else f"rows x {dim}"
        raise reader.fail(f"the quantized {what} is {m:,} x {n:,}, expected {expected}", start)
    reader.check_room(codesize, f"the codes of the quantized {what}")
    codes_at = reader.offset
    codes = np.frombuffer(reader.read(codesize, f"the codes of the {what}"), dtype=np.uint8)
    quantizer_at = reader.offset
    pq_dim, nsubq, dsub, lastdsub = reader.unpack("<4i", f"the quantizer of the {what}")
    expected_last = pq_dim % dsub or dsub if dsub > 0 else 0
    if (pq_dim != dim or dsub < 1 or nsubq != -(-dim // dsub) or lastdsub != expected_last
            or codesize != m * nsubq):  # fmt: skip
        raise reader.fail(
            f"the quantizer of the {what} (dimension {pq_dim}, {nsubq} sub-vectors of {dsub}, "
            f"the last of {lastdsub}, {codesize:,} codes for {m:,} rows) does not fit together",
            quantizer_at,
        )
    reader.check_room(4 * dim * _KSUB, f"the centroids of the {what}")
    centroids = reader.read_floats(1, dim * _KSUB, f"the centroids of the {what}")[0]
    out = np.empty((m, dim), dtype=np.float32)
    codes = codes.reshape(m, nsubq)
    for q in range(nsubq):
        size = lastdsub if q == nsubq - 1 else dsub
        table = centroids[q * _KSUB * dsub : q * _KSUB * dsub + _KSUB * size].reshape(_KSUB, size)
        out[:, q * dsub : q * dsub + size] = table[codes[:, q]]
    if qnorm:
        reader.check_room(m, f"the norm codes of the {what}")
        norm_codes = np.frombuffer(reader.read(m, f"the norm codes of the {what}"), np.uint8)
        norm_at = reader.offset
        header = reader.unpack("<4i", f"the norm quantizer of the {what}")
        if header != (1, 1, 1, 1):
            raise reader.fail(f"the norm quantizer of the {what} is {header}, expected "
                              "(1, 1, 1, 1)", norm_at)  # fmt: skip
        norms = reader.read_floats(1, _KSUB, f"the norm centroids of the {what}")[0]
        out *= norms[norm_codes][:, None]
    row = first_non_finite_row(out)
    if row >= 0:
        raise reader.fail(f"row {row} of the quantized {what} decodes to NaN or infinite "
                          "values (damaged centroids or norms)", codes_at)  # fmt: skip
    return out
