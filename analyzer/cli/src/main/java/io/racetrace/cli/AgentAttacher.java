package io.racetrace.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Loads the agent into a running JVM through the Attach API, and reads back from the target's
 * system properties whether a capture is already running ({@code racetrace.agent.state}) and
 * whether the agent started ({@code racetrace.agent.error}), since an agent's own output goes to
 * the target's stderr, not ours.
 *
 * <p>Only the same OS user can attach (the JDK's attach mechanism checks it).
 */
final class AgentAttacher {
  static final String STATE = "racetrace.agent.state";
  static final String ERROR = "racetrace.agent.error";
  static final String PROBES = "racetrace.agent.probes";

  /** One probe's match at attach time, as the agent reported it. */
  record ProbeMatch(String name, String target, int methods, String why) {}

  private final PrintWriter out;
  private final PrintWriter err;

  AgentAttacher(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /**
   * Attaches and starts a capture; returns the probes' matches as the agent reports them. Throws
   * {@link UserException} with the reason when it cannot.
   */
  java.util.List<ProbeMatch> attach(long pid, Path agentJar, String agentArgs) {
    VirtualMachine vm = connect(pid);
    try {
      Properties props = vm.getSystemProperties();
      String state = props.getProperty(STATE);
      if (state != null) {
        throw new UserException(RacetraceMain.FAILED, "racetrace is already attached to " + pid + " (" + state
            + "); run 'racetrace detach " + pid + "' first");
      }
      warnAboutDynamicAgents(pid, props, vm);
      load(vm, agentJar, agentArgs, pid);
      Properties after = vm.getSystemProperties();
      String error = after.getProperty(ERROR);
      if (error != null) {
        throw new UserException(RacetraceMain.FAILED, "agent refused to start in " + pid + ": " + error);
      }
      if (after.getProperty(STATE) == null) {
        throw new UserException(RacetraceMain.FAILED, "agent loaded into " + pid + " but did not start; see that JVM's stderr");
      }
      return probeMatches(after.getProperty(PROBES, ""));
    } catch (IOException e) {
      throw new UserException(RacetraceMain.FAILED, "lost the connection to " + pid + ": " + e.getMessage());
    } finally {
      detachQuietly(vm);
    }
  }

  /** Stops the capture in the target: removes every transformation and closes the queue. */
  void detach(long pid, Path agentJar) {
    VirtualMachine vm = connect(pid);
    try {
      if (vm.getSystemProperties().getProperty(STATE) == null) {
        throw new UserException(RacetraceMain.FAILED, "racetrace is not attached to " + pid);
      }
      load(vm, agentJar, "detach", pid);
      String error = vm.getSystemProperties().getProperty(ERROR);
      if (error != null) {
        throw new UserException(RacetraceMain.FAILED, "detach from " + pid + " failed: " + error);
      }
    } catch (IOException e) {
      throw new UserException(RacetraceMain.FAILED, "lost the connection to " + pid + ": " + e.getMessage());
    } finally {
      detachQuietly(vm);
    }
  }

  static java.util.List<ProbeMatch> probeMatches(String summary) {
    java.util.List<ProbeMatch> out = new java.util.ArrayList<>();
    for (String line : summary.split("\n")) {
      String[] f = line.split("\t", -1);
      if (f.length == 4) {
        out.add(new ProbeMatch(f[0], f[1], Integer.parseInt(f[2]), f[3]));
      }
    }
    return out;
  }

  /**
   * Fails fast, with one line, for a pid the Attach API would spend seconds on and then explain
   * badly: no such process, a process of another user, a process that is not a JVM.
   */
  static void checkTarget(long pid) {
    checkTarget(pid, ProcessHandle.current().info().user().orElse(null));
  }

  /** As {@link #checkTarget(long)}, for a racetrace run by OS user {@code me} (null: unknown). */
  static void checkTarget(long pid, String me) {
    if (pid == ProcessHandle.current().pid()) {
      throw new UserException(RacetraceMain.USAGE, "cannot attach to the racetrace command itself");
    }
    ProcessHandle p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).orElse(null);
    if (p == null) {
      throw new UserException(RacetraceMain.FAILED, "no process " + pid + " is running (has it exited?)");
    }
    String owner = p.info().user().orElse(null);
    if (me != null && owner != null && !me.equals(owner) && !"root".equals(me)) {
      throw new UserException(RacetraceMain.FAILED, "process " + pid + " belongs to user " + owner
          + "; only the same OS user can attach (run racetrace as " + owner + ")");
    }
    String command = p.info().command().orElse("");
    boolean listed = VirtualMachine.list().stream().anyMatch(d -> d.id().equals(Long.toString(pid)));
    if (!listed && !command.isEmpty() && !Path.of(command).getFileName().toString().startsWith("java")) {
      throw new UserException(RacetraceMain.FAILED, "process " + pid + " (" + command + ") is not a JVM");
    }
  }

  private VirtualMachine connect(long pid) {
    checkTarget(pid);
    try {
      return VirtualMachine.attach(Long.toString(pid));
    } catch (AttachNotSupportedException e) {
      throw new UserException(RacetraceMain.FAILED, "cannot attach to " + pid + ": " + e.getMessage()
          + " (is it a JVM run by the same OS user, without -XX:+DisableAttachMechanism?)");
    } catch (IOException e) {
      throw new UserException(RacetraceMain.FAILED, "cannot attach to " + pid + ": " + e.getMessage());
    }
  }

  private void load(VirtualMachine vm, Path agentJar, String args, long pid) throws IOException {
    try {
      vm.loadAgent(agentJar.toString(), args);
    } catch (AgentLoadException e) {
      throw new UserException(RacetraceMain.FAILED, "the JVM " + pid + " refused to load the agent: " + e.getMessage()
          + hintForDynamicLoading(vm));
    } catch (AgentInitializationException e) {
      throw new UserException(RacetraceMain.FAILED, "the agent failed to initialise in " + pid + " (code "
          + e.returnValue() + "); see that JVM's stderr");
    }
  }

  /**
   * JDK 21+ warns when an agent is loaded into a running JVM (JEP 451) and a later release will
   * refuse it, unless the JVM was started with {@code -XX:+EnableDynamicAgentLoading}. Say so.
   */
  private void warnAboutDynamicAgents(long pid, Properties props, VirtualMachine vm) {
    int feature = featureVersion(props.getProperty("java.specification.version", "17"));
    if (feature < 21) {
      return;
    }
    String flags = vmFlags(vm);
    if (flags.contains("-XX:-EnableDynamicAgentLoading")) {
      throw new UserException(RacetraceMain.FAILED, "JVM " + pid + " was started with -XX:-EnableDynamicAgentLoading and refuses"
          + " agents loaded at run time; restart it with -XX:+EnableDynamicAgentLoading, or with -javaagent");
    }
    if (!flags.contains("-XX:+EnableDynamicAgentLoading")) {
      err.println("racetrace: note: JVM " + pid + " runs Java " + feature + ", which prints a warning when an agent is"
          + " loaded into a running JVM and may refuse it in a later release; start it with"
          + " -XX:+EnableDynamicAgentLoading (or use -javaagent) to attach without the warning");
    }
  }

  private static String hintForDynamicLoading(VirtualMachine vm) {
    return " (if the JVM runs Java 21 or later, start it with -XX:+EnableDynamicAgentLoading)";
  }

  private static String vmFlags(VirtualMachine vm) {
    try {
      Properties agent = vm.getAgentProperties();
      return agent.getProperty("sun.jvm.flags", "") + " " + agent.getProperty("sun.jvm.args", "");
    } catch (IOException e) {
      return "";
    }
  }

  static int featureVersion(String spec) {
    try {
      return Integer.parseInt(spec.startsWith("1.") ? spec.substring(2) : spec.split("\\.")[0]);
    } catch (NumberFormatException e) {
      return 17;
    }
  }

  private static void detachQuietly(VirtualMachine vm) {
    try {
      vm.detach();
    } catch (IOException ignored) {
      // the target may have exited
    }
  }
}
