# Browser libraries the app serves itself (never from a CDN), fetched from the npm
# registry by the setup and checked against a pinned digest. Usage: ensure_assets

ASSET_DIR="static/vendor"
# package@version  file inside the package  destination  sha256 of that file
ASSETS=(
  "socket.io-client@4.8.4 package/dist/socket.io.min.js socket.io.min.js d5d79a35039e860b32bdef4795528b05c2f788d4b2d9dacc913120e2878f7b3f"
  # axe-core is for the accessibility tests only: no template references it.
  "axe-core@4.10.3 package/axe.min.js axe.min.js 880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb"
)

ensure_assets() {
  local line spec member name digest workdir tarball
  mkdir -p "$ASSET_DIR"
  for line in "${ASSETS[@]}"; do
    read -r spec member name digest <<<"$line"
    if [ -f "$ASSET_DIR/$name" ] && echo "$digest  $ASSET_DIR/$name" | sha256sum --check --status; then
      continue
    fi
    if ! command -v npm >/dev/null 2>&1; then
      echo "npm is needed once to fetch $spec into $ASSET_DIR (apt-get install npm)." >&2
      return 1
    fi
    echo "==> Fetching $spec from the npm registry"
    workdir=$(mktemp -d)
    tarball=$(cd "$workdir" && npm pack --silent "$spec" 2>/dev/null | tail -n 1)
    tar -xzf "$workdir/$tarball" -C "$workdir" "$member"
    if ! echo "$digest  $workdir/$member" | sha256sum --check --status; then
      echo "The downloaded $spec does not match its pinned digest; refusing it." >&2
      rm -rf "$workdir"
      return 1
    fi
    cp "$workdir/$member" "$ASSET_DIR/$name"
    rm -rf "$workdir"
  done
}
