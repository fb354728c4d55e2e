#!/usr/bin/env bash
# CPython 3.11 and pytest for the board: Debian's armhf packages, unpacked,
# trimmed to what the imports need and byte-compiled, cached under
# $CACHE/python-<key> (the key covers this script and the packages'
# versions). Prints the directory of the tree to copy into the initramfs.
# Usage: python-root.sh
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

# The interpreter, the stdlib, the C libraries their NEEDED entries name,
# and pytest with the packages it imports. Not: libssl3 (only _ssl and
# _hashlib; asyncio and hashlib work without them), pkg-resources and
# more-itertools (pytest's Debian dependencies, never imported).
arch_pkgs="python3.11-minimal libpython3.11-minimal libpython3.11-stdlib
	libc6 libgcc-s1 libexpat1 zlib1g libffi8 libbz2-1.0 liblzma5"
all_pkgs="python3-pytest python3-pluggy python3-iniconfig python3-packaging
	python3-py python3-attr"
# shellcheck disable=SC2086 # word lists
pkgs="$(printf '%s:armhf ' $arch_pkgs)$(printf '%s ' $all_pkgs)"

# shellcheck disable=SC2086
versions=$(apt-cache show --no-all-versions $pkgs 2>/dev/null |
	sed -n 's/^Version: //p') ||
	die "apt-cache show failed (dpkg --add-architecture armhf; apt-get update)"
vkey=$(printf '%s\n' "$pkgs" "$versions" | sha256sum | cut -c1-16)
key=$({
	content_key "$TOP/scripts/python-root.sh"
	echo "$vkey"
} | sha256sum | cut -c1-16)
dir="$CACHE/python-$key"
if [ -f "$dir/.done" ]; then
	echo "$dir/root"
	exit 0
fi

log "fetching CPython 3.11 and pytest (armhf, Debian)"
debs="$CACHE/debs/python-$vkey"
mkdir -p "$debs"
# shellcheck disable=SC2086
(cd "$debs" && apt-get download -q $pkgs >/dev/null 2>&1) ||
	die "apt-get download of the board's Python packages failed"

rm -rf "$dir"
root="$dir/root"
mkdir -p "$root"
for d in "$debs"/*.deb; do
	dpkg-deb -x "$d" "$root"
done

# Trim: documentation, locales, glibc's iconv modules and tools, the
# stdlib's tests, GUI and packaging tools, and extension modules whose
# libraries are not here.
py="$root/usr/lib/python3.11"
rm -rf "${root:?}/usr/share" "${root:?}/etc" "$root/usr/lib/arm-linux-gnueabihf/gconv" \
	"$root/usr/bin/"py.test* "$root/usr/bin/pytest-3" "$root/sbin" \
	"$root/usr/sbin" "$root/usr/libexec"
find "$root/usr/bin" -mindepth 1 ! -name python3.11 ! -name pytest -delete
rm -rf "$py/test" "$py/idlelib" "$py/tkinter" "$py/turtledemo" \
	"$py/ensurepip" "$py/lib2to3" "$py/distutils" "$py/pydoc_data" \
	"$py/unittest/test" "$py/sqlite3/test" "$py/ctypes/test" \
	"$py/config-3.11-arm-linux-gnueabihf"
(cd "$py/lib-dynload" && rm -f _ssl.* _hashlib.* _test*.* _xxtestfuzz.* \
	xxlimited*.* _ctypes_test.* _curses*.* _dbm.* _sqlite3.* _crypt.* \
	nis.* readline.* _uuid.* audioop.* ossaudiodev.*)
# Codecs: Unicode, Latin-1 and ASCII, which the board's files and
# consoles use; not the CJK and code-page tables.
find "$py/encodings" -name '*.py' ! -name __init__.py ! -name aliases.py \
	! -name 'utf_*' ! -name latin_1.py ! -name ascii.py ! -name idna.py \
	! -name punycode.py ! -name '*unicode_escape.py' ! -name charmap.py \
	-delete
rm -f "$py/lib-dynload/"_codecs_*.* "$py/lib-dynload/"_multibytecodec.*
ln -s python3.11 "$root/usr/bin/python3"

# Byte-compile with the host's CPython 3.11 (the same release line, the
# same magic number), so the board does not compile on every boot. The
# .pyc files do not check the sources' mtime (unchecked-hash): the image
# gives every file the same one (scripts/make-initramfs.sh).
[ -x /usr/bin/python3.11 ] || die "Debian's python3.11 is not installed on the host"
/usr/bin/python3.11 -m compileall -q -j "$JOBS" -s "$root" -p / \
	--invalidation-mode unchecked-hash \
	"$py" "$root/usr/lib/python3" >/dev/null || die "compileall failed"
touch "$dir/.done"
log "board Python: $(du -sh "$root" | cut -f1) in $dir"
echo "$root"
