#!/usr/bin/env bash
# Runs the Meilisearch host's rendered first-boot script (user data) the way an
# instance would, inside private mount and PID namespaces, and records what the
# meilisearch service was started with.
#
# Usage (as root, or under `unshare --map-root-user`):
#   unshare --mount --pid --fork --mount-proc bash meilisearch_sandbox.sh SANDBOX USER_DATA SECRET
#
# What is real: bash, the script itself, useradd/chown/install/sha256sum/readlink,
# systemd (a user instance of the same binary that runs the system instance on the
# host) starting the unit the script writes, and `systemd-analyze verify` on it.
# What is a stand-in (the real thing needs an EC2 instance, a network or an AWS
# account), each recording its calls in SANDBOX/calls.log:
#   curl       - the release download; "downloads" the meilisearch stand-in below
#   meilisearch- records nothing itself beyond creating its data dir, then sleeps; the
#                driver reads its real process environment from /proc
#   aws        - Secrets Manager; prints SECRET for the expected secret ARN only
#   blkid, mkfs.xfs, mount - the EBS volume: mkfs gives the "device" a UUID,
#                `mount -a` mounts a tmpfs whose source is the device at each fstab
#                target, so findmnt shows which device backs the data directory
#   systemctl  - the system manager cannot run here (it must be PID 1 of a booted
#                system): the stand-in hands each unit in /etc/systemd/system to the
#                user manager and forwards the command to it with --user
# /etc, /usr/local, /var/lib and /dev are overlays whose writes land in SANDBOX, /run and
# /tmp are private tmpfs, so nothing outside the sandbox changes; leaving the PID namespace kills every process.
# The results are files in SANDBOX/out (read by test_meilisearch_host.py).
set -euo pipefail

SB=$1
USER_DATA=$2
SECRET=$3
mkdir -p "$SB/bin" "$SB/home"
# Inside the sandbox only SANDBOX stays visible under /tmp.
cp "$USER_DATA" "$SB/user-data.sh"
USER_DATA="$SB/user-data.sh"
: > "$SB/calls.log"

for dir in /etc /usr/local /var/lib /dev; do
  name=${dir//\//_}
  mkdir -p "$SB/overlay/$name/upper" "$SB/overlay/$name/work"
  mount -t overlay overlay \
    -o "lowerdir=$dir,upperdir=$SB/overlay/$name/upper,workdir=$SB/overlay/$name/work" "$dir"
done
mount -t tmpfs tmpfs /run
# A private /tmp (the script downloads to /tmp/meilisearch), with SANDBOX bound back at
# its own path in case it lives under /tmp.
mkdir -p /run/sandbox
mount --bind "$SB" /run/sandbox
mount -t tmpfs tmpfs /tmp
mkdir -p "$SB"
mount --bind /run/sandbox "$SB"
# The user manager refuses to start unless the system "was booted with systemd".
mkdir -p /run/systemd/system

# The attached EBS volume as the instance sees it (the NVMe by-id link).
mkdir -p /dev/disk/by-id
: > "$SB/nvme1n1"
ln -s "$SB/nvme1n1" /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0

# --- stand-ins -------------------------------------------------------------------
cat > "$SB/bin/curl" <<EOF
#!/bin/bash
echo "curl \$*" >> "$SB/calls.log"
out=""
while [ \$# -gt 0 ]; do
  case "\$1" in --output|-o) out=\$2; shift ;; esac
  shift
done
cat > "\$out" <<'BIN'
#!/bin/bash
# meilisearch stand-in: a real server would create its database directory here.
mkdir -p "\$MEILI_DB_PATH"
exec -a "\$0" sleep 600
BIN
EOF

cat > "$SB/bin/blkid" <<EOF
#!/bin/bash
echo "blkid \$*" >> "$SB/calls.log"
dev=\${@: -1}
[ -s "$SB/fs-uuid" ] && [ "\$(cat "$SB/fs-device")" = "\$dev" ] || exit 2
case "\$*" in *"-s UUID -o value"*) cat "$SB/fs-uuid" ;; *) echo "\$dev: UUID=\"\$(cat "$SB/fs-uuid")\" TYPE=\"xfs\"" ;; esac
EOF

cat > "$SB/bin/mkfs.xfs" <<EOF
#!/bin/bash
echo "mkfs.xfs \$*" >> "$SB/calls.log"
echo "\$1" > "$SB/fs-device"
echo 6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f > "$SB/fs-uuid"
EOF

cat > "$SB/bin/mount" <<EOF
#!/bin/bash
echo "mount \$*" >> "$SB/calls.log"
[ "\$*" = "-a" ] || exec /usr/bin/mount "\$@"
while read -r spec target fstype _; do
  case "\$spec" in
    UUID=*)
      [ "\${spec#UUID=}" = "\$(cat "$SB/fs-uuid" 2>/dev/null)" ] || { echo "no device for \$spec" >&2; exit 32; }
      findmnt --mountpoint "\$target" >/dev/null || /usr/bin/mount -t tmpfs "\$(cat "$SB/fs-device")" "\$target"
      ;;
  esac
done < /etc/fstab
EOF

cat > "$SB/bin/systemctl" <<EOF
#!/bin/bash
echo "systemctl \$*" >> "$SB/calls.log"
mkdir -p /etc/systemd/user
for unit in /etc/systemd/system/*.service; do
  [ -e "\$unit" ] && cp "\$unit" /etc/systemd/user/
done
exec /usr/bin/systemctl --user "\$@"
EOF

# Services run with systemd's default PATH, so the AWS CLI stand-in goes where a
# service finds it (the overlay keeps it out of the real /usr/local).
cat > /usr/local/bin/aws <<EOF
#!/bin/bash
echo "aws \$*" >> "$SB/calls.log"
case "\$*" in
  *"secretsmanager get-secret-value"*"--secret-id arn:aws:secretsmanager:eu-west-1:123456789012:secret:mk-AbCdEf"*"--query SecretString --output text"*)
    echo "$SECRET" ;;
  *) echo "unexpected aws call: \$*" >&2; exit 254 ;;
esac
EOF
chmod 0755 "$SB"/bin/* /usr/local/bin/aws

# --- the user manager standing in for PID 1 ---------------------------------------
# XDG_RUNTIME_DIR=/run makes the user manager's RuntimeDirectory= land in /run, as
# the system manager's does.
export XDG_RUNTIME_DIR=/run HOME="$SB/home"
# env -i: a system manager starts services with a clean environment, not ours.
env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  XDG_RUNTIME_DIR=/run HOME="$SB/home" LANG=C.UTF-8 \
  /usr/lib/systemd/systemd --user --log-target=console --log-level=notice > "$SB/systemd.log" 2>&1 &
for _ in $(seq 1 100); do
  [ -S /run/systemd/private ] && break
  sleep 0.1
done
[ -S /run/systemd/private ] || { echo "systemd --user did not start: $(cat "$SB/systemd.log")" >&2; exit 3; }

set +e
PATH="$SB/bin:$PATH" bash "$USER_DATA" > "$SB/user-data.log" 2>&1
user_data_rc=$?
set -e

OUT="$SB/out"
mkdir -p "$OUT"
echo "$user_data_rc" > "$OUT/user_data_rc"
set +e
systemd-analyze verify --man=no /etc/systemd/system/meilisearch.service > "$OUT/verify" 2>&1
echo $? > "$OUT/verify_rc"
set -e
/usr/bin/systemctl --user is-active meilisearch.service > "$OUT/state" 2>&1 || true
/usr/bin/systemctl --user show meilisearch.service -p Result --value > "$OUT/result" 2>&1 || true
pid=$(/usr/bin/systemctl --user show meilisearch.service -p MainPID --value 2>/dev/null || echo 0)
if [ "${pid:-0}" != 0 ] && [ -r "/proc/$pid/environ" ]; then
  cp "/proc/$pid/environ" "$OUT/environ"
  ps -o user= -p "$pid" > "$OUT/user"
  cp "/proc/$pid/cmdline" "$OUT/cmdline"
fi
findmnt -n -o SOURCE --target /var/lib/meilisearch/data > "$OUT/data_source" 2>/dev/null || true
stat -c '%a %U' /run/meilisearch/env > "$OUT/key_file" 2>/dev/null || true
cp /etc/fstab "$OUT/fstab" 2>/dev/null || true
/usr/bin/systemctl --user stop meilisearch.service >/dev/null 2>&1 || true
