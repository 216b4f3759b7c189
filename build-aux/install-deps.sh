#!/usr/bin/env bash
# Installs what Mesascope needs to build, run and test on Debian 12 (bookworm). Run as root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libgsl-dev
  libjson-glib-dev libmd4c-dev libyajl-dev liblbfgs-dev libxtst-dev
  desktop-file-utils appstream
  xvfb xauth dbus libgl1-mesa-dri librsvg2-common librsvg2-bin adwaita-icon-theme
  fonts-dejavu-core fonts-cantarell valgrind groff-base
  imagemagick poppler-utils jq python3-polib parallel
  flatpak-builder
  clang libclang-rt-14-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
