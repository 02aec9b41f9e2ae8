#!/usr/bin/env bash
# Makes the Dockerfile's two base images locally, for a machine that reaches Debian's mirror but no
# image registry. Only an image that is missing is made, so real registry images are never replaced.
#   debian:bookworm-slim  `mmdebstrap --variant=minbase bookworm`, imported with `docker import`.
#   swift:6.1-bookworm    the same, plus the build packages of the official Swift image (its
#                         Debian 12 Dockerfile's list), this machine's Swift toolchain at /opt/swift
#                         and, when present, the local copies of the Swift packages (git finds them
#                         through /etc/gitconfig, as here).
# Both carry the label org.ordrel.stand-in=true: `docker images -f label=org.ordrel.stand-in` lists them.
# Needs root (mmdebstrap's root mode), mmdebstrap and a running Docker engine.
#   SWIFT_TOOLCHAIN  the toolchain's root, holding usr/bin/swift (default: from `command -v swift`)
#   SWIFT_PACKAGES   a folder of bare package repositories named OWNER/NAME.git (default
#                    /opt/swift-packages; none when it does not exist: then the build fetches them)
#   DEBIAN_MIRROR    (default http://deb.debian.org/debian)
set -euo pipefail

runtime_image=debian:bookworm-slim
build_image=swift:6.1-bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
sources=("deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main")
# The official swift:6.1-bookworm image installs these before unpacking the toolchain.
swift_build_packages=binutils-gold,curl,gpg,libicu-dev,libcurl4-openssl-dev,libedit-dev,libsqlite3-dev,libncurses-dev,libpython3-dev,libxml2-dev,pkg-config,uuid-dev,tzdata,git,gcc,libstdc++-12-dev,ca-certificates

# As the official slim images: no documentation, manual pages or translations, no package lists.
slim=(--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
      --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias'
      --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin')

have() { docker image inspect "$1" >/dev/null 2>&1; }

if have "$runtime_image"; then
  echo "local-bases: $runtime_image present"
else
  echo "local-bases: making $runtime_image with mmdebstrap"
  mmdebstrap --quiet --variant=minbase "${slim[@]}" bookworm - "${sources[@]}" \
    | docker import --change 'CMD ["bash"]' --change 'LABEL org.ordrel.stand-in=true' - "$runtime_image" >/dev/null
  echo "local-bases: made $runtime_image"
fi

if have "$build_image"; then
  echo "local-bases: $build_image present"
else
  toolchain=${SWIFT_TOOLCHAIN:-$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")")}
  [ -x "$toolchain/usr/bin/swift" ] || { echo "local-bases: no Swift toolchain at $toolchain (set SWIFT_TOOLCHAIN)" >&2; exit 1; }
  packages=${SWIFT_PACKAGES:-/opt/swift-packages}
  hooks=(--customize-hook="mkdir -p \"\$1/opt/swift\"" --customize-hook="copy-in $toolchain/usr /opt/swift")
  what="the toolchain at $toolchain"
  if [ -d "$packages" ]; then
    what+=" and the packages at $packages"
    hooks+=(--customize-hook="copy-in $packages /opt"
            --customize-hook="printf '[url \"/opt/$(basename "$packages")/\"]\\n\\tinsteadOf = https://github.com/\\n' > \"\$1/etc/gitconfig\"")
  fi
  echo "local-bases: making $build_image with mmdebstrap, $what"
  mmdebstrap --quiet --variant=minbase --include="$swift_build_packages" "${slim[@]}" "${hooks[@]}" bookworm - "${sources[@]}" \
    | docker import --change 'ENV PATH=/opt/swift/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' --change 'LABEL org.ordrel.stand-in=true' - "$build_image" >/dev/null
  echo "local-bases: made $build_image"
fi
