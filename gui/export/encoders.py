"""Writers of exported frames: MP4 (ffmpeg), GIF (Pillow, streamed) and PNG folders; each
writes to a hidden temporary name and renames it into place when complete."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import subprocess
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np
from PIL import GifImagePlugin, Image

from core.files import read_umask
from gui.export.settings import ExportError, output_format

if TYPE_CHECKING:
    pass

#: H.264 settings: constant quality (lower is better; 18–23 is visually lossless for plots).
H264_CRF = 20
H264_PRESET = "veryfast"
#: GIF: a new palette is made when a pixel would be this far (0–255) from its colour.
PALETTE_MAX_ERROR = 48
PALETTE_BAD_SHARE = 0.002


#: PNG compression (0–9): 1 is several times faster than Pillow's default 6, files ~20 % larger.
PNG_COMPRESS = 1
#: Names of PNG frames.
PNG_PATTERN = "frame_{:05d}.png"
PNG_RE = re.compile(r"^frame_\d{5,}\.png$")


_UMASK = read_umask()  # temporary files are private; results get the usual mode


# =============================================================================================
# writers


class FrameWriter:
    """Base of the writers: frames go to a hidden temporary file (or folder) next to ``path``;
    :meth:`close` finishes encoding, :meth:`commit` renames into place, :meth:`abort` deletes.

    ``write``/``close`` may run on a worker thread; ``commit``/``abort`` on any thread once the
    worker is done. Use as a context manager: leaving it without commit aborts.
    """

    ext = ""

    def __init__(self, path: str | Path, size: tuple[int, int], fps: float) -> None:
        self.path = Path(path)
        self.size = (int(size[0]), int(size[1]))
        self.fps = float(fps)
        self.frames = 0
        self.temp: Path | None = None
        self._done = False

    # -- helpers
    def _folder(self) -> Path:
        parent = self.path.parent if str(self.path.parent) else Path(".")
        if parent.exists() and not parent.is_dir():
            raise ExportError(f"{self.path}: {parent} is not a folder")
        if not parent.is_dir():
            raise ExportError(f"{self.path}: the folder {parent} does not exist")
        return parent

    def _temp_file(self) -> Path:
        parent = self._folder()
        try:
            fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=f".part{self.ext}",
                                        dir=parent)
        except OSError as err:
            raise ExportError(
                f"{self.path}: cannot write in {parent} ({err.strerror or err})") from None
        os.close(fd)
        os.chmod(name, 0o666 & ~_UMASK)
        return Path(name)

    def _check(self, frame: np.ndarray) -> np.ndarray:
        a = np.ascontiguousarray(frame, dtype=np.uint8)
        if a.shape != (self.size[1], self.size[0], 3):
            raise ExportError(f"frame of shape {a.shape}, expected "
                              f"{(self.size[1], self.size[0], 3)} (h, w, RGB)")
        return a

    def _fail(self, err: OSError) -> ExportError:
        return ExportError(f"{self.path}: cannot write ({err.strerror or err})")

    # -- API
    def write(self, frame: np.ndarray) -> None:
        """Encode one ``(h, w, 3) uint8`` RGB frame."""
        raise NotImplementedError

    def close(self) -> None:
        """Finish encoding (the temporary file is complete afterwards)."""
        raise NotImplementedError

    def commit(self) -> Path:
        """Rename the finished temporary file to ``path``; returns ``path``."""
        if self.temp is None:
            raise ExportError(f"{self.path}: nothing was written")
        try:
            os.replace(self.temp, self.path)
        except OSError as err:
            self.abort()
            raise self._fail(err) from None
        self.temp = None
        self._done = True
        return self.path

    def abort(self) -> None:
        """Stop and delete the temporary file (idempotent)."""
        if self.temp is not None:
            self.temp.unlink(missing_ok=True)
            self.temp = None

    def __enter__(self) -> FrameWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._done:
            self.abort()


class Mp4Writer(FrameWriter):
    """H.264 MP4 (``yuv420p``, ``+faststart``) by piping raw RGB frames into ffmpeg."""

    ext = ".mp4"

    def __init__(self, path: str | Path, size: tuple[int, int], fps: float,
                 crf: int = H264_CRF, preset: str = H264_PRESET) -> None:
        super().__init__(path, size, fps)
        w, h = self.size
        if w % 2 or h % 2:
            raise ExportError(f"MP4 (H.264) needs an even width and height, got {w}x{h}")
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
        self.temp = self._temp_file()
        rate = Fraction(self.fps).limit_denominator(1001)
        cmd = [exe, "-y", "-hide_banner", "-loglevel", "error",
               "-f", "rawvideo", "-vcodec", "rawvideo", "-s", f"{w}x{h}", "-pix_fmt", "rgb24",
               "-r", str(rate), "-i", "-", "-an",
               "-vcodec", "libx264", "-pix_fmt", "yuv420p", "-preset", preset,
               "-crf", str(int(crf)), "-movflags", "+faststart", "-f", "mp4", str(self.temp)]
        self._log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close/abort
        try:
            self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._log,
                process_group=0)  # Ctrl-C on the terminal reaches us only: we stop ffmpeg
        except OSError as err:
            self.abort()
            raise ExportError(f"cannot start the video encoder ffmpeg ({err})") from None

    def _ffmpeg_error(self, fallback: str) -> ExportError:
        text = ""
        with contextlib.suppress(OSError, ValueError):
            self._log.seek(0)
            text = self._log.read().decode("utf-8", "replace")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        why = lines[-1] if lines else fallback
        if "No space left" in text:
            why = "no space left on the device"
        return ExportError(f"{self.path}: the video encoder failed: {why}")

    def write(self, frame: np.ndarray) -> None:
        """Pipe one frame to ffmpeg."""
        a = self._check(frame)
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise ExportError(f"{self.path}: the video encoder is closed")
        try:
            proc.stdin.write(memoryview(a).cast("B"))
        except OSError as err:
            try:  # ffmpeg stopped (its message is in the log) or the pipe broke: stop it
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            raise self._ffmpeg_error(f"ffmpeg stopped ({err.strerror or err})") from None
        self.frames += 1

    def close(self) -> None:
        """Let ffmpeg finish; ExportError if it failed."""
        proc = self._proc
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
        except OSError:
            pass
        rc = proc.wait()
        self._proc = None
        if rc != 0:
            raise self._ffmpeg_error(f"ffmpeg exit code {rc}")
        if self.frames == 0:
            raise ExportError(f"{self.path}: no frames were written")
        self._log.close()

    def abort(self) -> None:
        """Stop ffmpeg at once and delete the temporary file."""
        proc = self._proc
        self._proc = None
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            with contextlib.suppress(OSError):
                if proc.stdin is not None:
                    proc.stdin.close()
            proc.wait()
        with contextlib.suppress(OSError):
            self._log.close()
        super().abort()


def gif_delay(k: int, fps: float) -> int:
    """Delay of GIF frame ``k`` in 1/100 s: the running sum stays on the exact timeline
    (30 fps → 3, 4, 3, 3, 4, 3, …); at least 2 (browsers slow down shorter delays)."""
    return max(round((k + 1) * 100.0 / fps) - round(k * 100.0 / fps), 2)


class GifWriter(FrameWriter):
    """Looping GIF, streamed frame by frame.

    A palette of 255 colours is made from a whole frame with ``FASTOCTREE`` and kept while the
    next frames map onto it well (a new one is made when the content drifts, e.g. an orbiting
    camera); frames are quantized whole, so there are no seams between regions. Only the
    rectangle whose colours changed is written (with its colour table), unchanged pixels in it
    transparent (index 255), drawn over the previous frame (disposal 1). Memory: the previous
    frame only."""

    ext = ".gif"
    #: The colour index kept free for "unchanged" pixels.
    TRANSPARENT = 255

    def __init__(self, path: str | Path, size: tuple[int, int], fps: float,
                 loop: int = 0) -> None:
        super().__init__(path, size, fps)
        self.loop = int(loop)
        self.temp = self._temp_file()
        try:
            self._fp: IO[bytes] | None = open(self.temp, "wb")  # noqa: SIM115 - closed in close()
        except OSError as err:
            self.abort()
            raise self._fail(err) from None
        self._previous: np.ndarray | None = None  # colour indices of the last frame
        self._palette: np.ndarray | None = None
        self._codes = np.zeros(256, dtype=np.uint32)  # palette colours as 0xRRGGBB
        self._palette_image: Image.Image | None = None
        self._palette_error = 0.0
        self.palettes = 0  # palettes made (1 + the times the content drifted away)

    @staticmethod
    def _quantize(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Colour indices ``(h, w)`` and palette ``(256, 3)`` of an RGB frame (≤ 255 colours)."""
        im = Image.fromarray(a, "RGB").quantize(GifWriter.TRANSPARENT, Image.Quantize.FASTOCTREE)
        pal = np.zeros((256, 3), dtype=np.uint8)
        raw = np.asarray(im.getpalette() or [], dtype=np.uint8)
        n = min(raw.size // 3, GifWriter.TRANSPARENT)
        pal[:n] = raw[: 3 * n].reshape(n, 3)
        pal[n:] = pal[0]
        return np.asarray(im), pal

    def _map(self, a: np.ndarray) -> np.ndarray | None:
        """Indices of ``a`` in the current palette, if it still fits: few pixels (a share
        :data:`PALETTE_BAD_SHARE`) more than :data:`PALETTE_MAX_ERROR` off and the mean error at
        most 1.5× the palette's own + 0.5 (checked on every third pixel and row). Keeping one
        palette keeps unchanged pixels unchanged: small frames."""
        if self._palette is None or self._palette_image is None:
            return None
        im = Image.fromarray(a, "RGB").quantize(palette=self._palette_image,
                                                dither=Image.Dither.NONE)
        index = np.array(im)
        index[index == self.TRANSPARENT] = 0  # entry 255 repeats entry 0's colour
        err = self._error(a[::3, ::3], self._palette[index[::3, ::3]])
        bad = np.count_nonzero(err > PALETTE_MAX_ERROR)
        if bad > PALETTE_BAD_SHARE * err.size or err.mean() > 1.5 * self._palette_error + 0.5:
            return None
        return index

    @staticmethod
    def _error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Largest channel difference per pixel."""
        d = np.abs(a.astype(np.int16) - b)
        return np.maximum(np.maximum(d[..., 0], d[..., 1]), d[..., 2])

    def _new_palette(self, a: np.ndarray) -> np.ndarray:
        index, pal = self._quantize(a)
        self._palette = pal
        self._codes = (pal[:, 0].astype(np.uint32) << 16) | (pal[:, 1].astype(np.uint32) << 8) \
            | pal[:, 2]
        self._palette_image = Image.new("P", (1, 1))
        self._palette_image.putpalette(pal.tobytes())
        self._palette_error = float(self._error(a[::3, ::3], pal[index[::3, ::3]]).mean())
        self.palettes += 1
        return index

    def write(self, frame: np.ndarray) -> None:
        """Quantize one frame and write the part that changed."""
        a = self._check(frame)
        fp = self._fp
        if fp is None:
            raise ExportError(f"{self.path}: the GIF is closed")
        delay = gif_delay(self.frames, self.fps) * 10  # Pillow takes milliseconds
        old_codes = self._codes
        mapped = self._map(a)
        index = mapped if mapped is not None else self._new_palette(a)
        pal = self._palette
        assert pal is not None
        try:
            if self._previous is None:
                im = Image.fromarray(index, "P")
                im.putpalette(pal.tobytes())
                header, _ = GifImagePlugin.getheader(im, info={"loop": self.loop})
                chunks = [*header, *GifImagePlugin.getdata(im, (0, 0), duration=delay,
                                                           disposal=1)]
            else:
                if mapped is not None:  # same palette: compare indices
                    changed = index != self._previous
                else:  # compare colours
                    changed = self._codes[index] != old_codes[self._previous]
                rows = np.flatnonzero(changed.any(axis=1))
                if rows.size:
                    y0, y1 = int(rows[0]), int(rows[-1]) + 1
                    cols = np.flatnonzero(changed[y0:y1].any(axis=0))
                    x0, x1 = int(cols[0]), int(cols[-1]) + 1
                else:  # unchanged: a 1×1 transparent frame keeps the frame count and timing
                    y0, y1, x0, x1 = 0, 1, 0, 1
                crop = index[y0:y1, x0:x1].copy()
                crop[~changed[y0:y1, x0:x1]] = self.TRANSPARENT
                im = Image.fromarray(crop, "P")
                im.putpalette(pal.tobytes())
                chunks = GifImagePlugin.getdata(im, (x0, y0), duration=delay, disposal=1,
                                                transparency=self.TRANSPARENT,
                                                include_color_table=True)
            for chunk in chunks:
                fp.write(chunk)
        except OSError as err:
            raise self._fail(err) from None
        self._previous = index
        self.frames += 1

    def close(self) -> None:
        """Write the trailer and close the file."""
        fp = self._fp
        if fp is None:
            return
        try:
            fp.write(b";")
            fp.flush()
            os.fsync(fp.fileno())
        except OSError as err:
            raise self._fail(err) from None
        finally:
            self._fp = None
            self._previous = None
            fp.close()
        if self.frames == 0:
            raise ExportError(f"{self.path}: no frames were written")

    def abort(self) -> None:
        """Close and delete the temporary file."""
        fp, self._fp = self._fp, None
        if fp is not None:
            with contextlib.suppress(OSError):
                fp.close()
        self._previous = None
        super().abort()


class PngFolderWriter(FrameWriter):
    """Numbered PNG frames ``frame_00000.png`` … in the folder ``path``, a new or empty one.

    Frames go to a hidden temporary folder beside ``path``; on commit it is renamed to ``path``
    (rename replaces an empty folder atomically, and fails if files appeared in it meanwhile).
    No file the export did not create is ever deleted or replaced."""

    def __init__(self, path: str | Path, size: tuple[int, int], fps: float = 20.0) -> None:
        super().__init__(Path(os.path.abspath(path)), size, fps)
        check_png_folder(self.path)
        parent = self._folder()
        try:
            self.temp = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.", suffix=".part",
                                              dir=parent))
            os.chmod(self.temp, 0o777 & ~_UMASK)
        except OSError as err:
            raise ExportError(
                f"{self.path}: cannot write in {parent} ({err.strerror or err})") from None

    def write(self, frame: np.ndarray) -> None:
        """Write the next numbered PNG."""
        a = self._check(frame)
        if self.temp is None:
            raise ExportError(f"{self.path}: the folder is closed")
        try:
            Image.fromarray(a, "RGB").save(self.temp / PNG_PATTERN.format(self.frames),
                                           compress_level=PNG_COMPRESS)
        except OSError as err:
            raise self._fail(err) from None
        self.frames += 1

    def close(self) -> None:
        """Nothing to flush: every PNG is complete when written."""
        if self.frames == 0:
            raise ExportError(f"{self.path}: no frames were written")

    def commit(self) -> Path:
        """Rename the temporary folder to ``path`` (new, or an empty folder it replaces)."""
        tmp = self.temp
        if tmp is None:
            raise ExportError(f"{self.path}: nothing was written")
        try:
            check_png_folder(self.path)
            os.rename(tmp, self.path)
        except (OSError, ExportError) as err:
            self.abort()
            if isinstance(err, ExportError):
                raise
            if err.errno in (errno.ENOTEMPTY, errno.EEXIST):
                raise ExportError(f"{self.path}: files appeared in the folder during the "
                                  "export; nothing was replaced") from None
            raise self._fail(err) from None
        self.temp = None
        self._done = True
        return self.path

    def abort(self) -> None:
        """Delete the temporary folder and its frames."""
        tmp, self.temp = self.temp, None
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def check_png_folder(path: Path) -> None:
    """ExportError unless ``path`` is new or an empty folder (PNG frames never mix with, nor
    replace, files that are already there)."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise ExportError(f"{path}: exists and is not a folder (PNG frames go into a new or "
                          "empty folder)")
    if path.is_dir():
        try:
            with os.scandir(path) as it:
                busy = next(it, None) is not None
        except OSError as err:
            raise ExportError(f"{path}: cannot read the folder ({err.strerror or err})"
                              ) from None
        if busy:
            raise ExportError(f"{path}: the folder is not empty (PNG frames go into a new or "
                              "empty folder; nothing in it is replaced)")


def open_writer(path: str | Path, size: tuple[int, int], fps: float) -> FrameWriter:
    """The writer for ``path``'s format (see :func:`output_format`)."""
    fmt = output_format(path)
    if fmt == "mp4":
        return Mp4Writer(path, size, fps)
    if fmt == "gif":
        return GifWriter(path, size, fps)
    return PngFolderWriter(path, size, fps)
