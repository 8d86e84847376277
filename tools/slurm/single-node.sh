# A one-node Slurm cluster on this machine (munge, slurmctld, slurmd from Debian's packages), its
# configuration written into a folder of its own: for tests/test_slurm_cluster.sh and
# tools/slurm/scaling.sh, which source this file. Needs root (slurmd starts jobs as their user) and the
# packages tools/install-deps.sh installs (slurmctld slurmd slurm-client munge).
#
#   source tools/slurm/single-node.sh
#   slurm_single_node_start DIR [CPUS]   # writes DIR/slurm.conf, starts the daemons, exports SLURM_CONF
#   sbatch ... / squeue ...              # talk to it (through SLURM_CONF)
#   slurm_single_node_stop               # stops the daemons it started (call it from an EXIT trap)
#
# Several can run at once (other test runs on the machine): each has its own munge socket, ports, state
# and spool folders, and a cluster name made from its folder.

slurm_single_node_pids=()

# A TCP port nothing listens on.
slurm_single_node_free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free TCP port found" >&2
  return 1
}

slurm_single_node_start() {
  local dir=$1 cpus=${2:-$(nproc)}
  local node
  node=$(hostname -s)
  mkdir -p "$dir"/{munge,state,spool,log}
  chmod 700 "$dir/munge"
  # munged checks that its key is private.
  head -c 1024 /dev/urandom > "$dir/munge/munge.key"
  chmod 400 "$dir/munge/munge.key"
  munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" ||
    { echo "munged did not start: $(tail -3 "$dir/munge/munged.log" 2>/dev/null)" >&2; return 1; }
  local ctld_port slurmd_port
  ctld_port=$(slurm_single_node_free_port) && slurmd_port=$(slurm_single_node_free_port) || return 1
  # proctrack/linuxproc and task/none: no cgroups needed (containers, CI machines).
  cat > "$dir/slurm.conf" <<CONF
ClusterName=ssmlens$(basename "$dir" | tr -cd 'a-z0-9' | tail -c 20)
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MinJobAge=300
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$dir/slurm.conf
  slurm_single_node_dir=$dir
  slurmctld -D -f "$SLURM_CONF" > "$dir/log/slurmctld.out" 2>&1 &
  slurm_single_node_pids+=($!)
  slurmd -D -f "$SLURM_CONF" > "$dir/log/slurmd.out" 2>&1 &
  slurm_single_node_pids+=($!)
  # Ready when the node is idle.
  for _ in $(seq 1 60); do
    if [ "$(sinfo --noheader --format=%t 2>/dev/null)" = "idle" ]; then return 0; fi
    sleep 0.5
  done
  echo "Slurm did not come up; its logs:" >&2
  tail -5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" "$dir/log/slurmctld.out" "$dir/log/slurmd.out" >&2 2>/dev/null
  return 1
}

slurm_single_node_stop() {
  local pid
  # Jobs still running would outlive slurmd (their slurmstepd is a process of its own).
  if [ -n "${SLURM_CONF:-}" ] && [ ${#slurm_single_node_pids[@]} -gt 0 ]; then
    scancel --user="$(id -un)" 2>/dev/null && sleep 1
  fi
  for pid in "${slurm_single_node_pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${slurm_single_node_pids[@]}"; do wait "$pid" 2>/dev/null; done
  slurm_single_node_pids=()
  if [ -n "${slurm_single_node_dir:-}" ] && [ -e "$slurm_single_node_dir/munge/munged.pid" ]; then
    kill "$(cat "$slurm_single_node_dir/munge/munged.pid")" 2>/dev/null
  fi
  return 0
}
