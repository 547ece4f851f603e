package io.paycore.service.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The members of a paycore cluster, in member-id order, each as a host and a base port; a member uses five ports
 * from its base: {@code +1} its archive's control, {@code +2} client ingress, {@code +3} consensus, {@code +4} the
 * log, {@code +5} catch-up. Members on one machine need bases at least 5 apart (10 apart is the convention); on
 * several machines they may share one base.
 * <p>
 * Written as {@code host:port,host:port,host:port}, or as a file with one {@code host:port} a line ({@code #}
 * starts a comment).
 */
public final class ClusterMembers
{
    static final int ARCHIVE_CONTROL_OFFSET = 1;
    static final int INGRESS_OFFSET = 2;
    static final int CONSENSUS_OFFSET = 3;
    static final int LOG_OFFSET = 4;
    static final int CATCHUP_OFFSET = 5;

    /**
     * The most members a cluster may have here.
     */
    public static final int MAX_MEMBERS = 7;

    /**
     * A host name, an IPv4 address or an IPv6 address in brackets: nothing that Aeron's channels would misread, such
     * as members separated by spaces rather than commas, read as one member's host.
     */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?]");

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final String[] hosts;
    private final int[] basePorts;

    private ClusterMembers(final String[] hosts, final int[] basePorts)
    {
        this.hosts = hosts;
        this.basePorts = basePorts;
    }

    /**
     * @param fileOrList a file of {@code host:port} lines, or {@code host:port} entries separated by commas.
     * @return the members.
     * @throws IllegalArgumentException naming what is wrong.
     */
    public static ClusterMembers parse(final String fileOrList)
    {
        final List<String> entries = new ArrayList<>();
        final Path file = Path.of(fileOrList);
        if (!fileOrList.contains(",") && Files.isRegularFile(file))
        {
            try
            {
                for (final String line : Files.readAllLines(file))
                {
                    final int comment = line.indexOf('#');
                    final String entry = (comment >= 0 ? line.substring(0, comment) : line).trim();
                    if (!entry.isEmpty())
                    {
                        entries.add(entry);
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read the members file " + file, ex);
            }
        }
        else
        {
            for (final String entry : fileOrList.split(","))
            {
                if (!entry.isBlank())
                {
                    entries.add(entry.trim());
                }
            }
        }
        if (entries.size() < 1 || entries.size() > MAX_MEMBERS)
        {
            throw new IllegalArgumentException("a cluster has 1 to " + MAX_MEMBERS + " members (3 or 5 to survive " +
                "failures) but '" + fileOrList + "' names " + entries.size());
        }
        final String[] hosts = new String[entries.size()];
        final int[] basePorts = new int[entries.size()];
        for (int i = 0; i < entries.size(); i++)
        {
            final String entry = entries.get(i);
            final int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1)
            {
                throw new IllegalArgumentException("member " + i + ": expected host:port but was '" + entry + "'" +
                    (entries.size() == 1 && colon < 0 ? " (no such members file either)" : ""));
            }
            hosts[i] = entry.substring(0, colon);
            if (!HOST.matcher(hosts[i]).matches())
            {
                throw new IllegalArgumentException("member " + i + ": expected host:port, the host a name or an " +
                    "address ([...] for IPv6), but was '" + entry + "'" + (entry.matches(".*[\\s;].*") ?
                    "; separate the members with commas" : ""));
            }
            try
            {
                basePorts[i] = Integer.parseInt(entry.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("member " + i + ": port is not a number in '" + entry + "'");
            }
            if (basePorts[i] < 1 || basePorts[i] + CATCHUP_OFFSET > 65_535)
            {
                throw new IllegalArgumentException("member " + i + ": base port must be 1 to " +
                    (65_535 - CATCHUP_OFFSET) + " but was " + basePorts[i]);
            }
        }
        final String[] addresses = new String[hosts.length];
        for (int i = 0; i < hosts.length; i++)
        {
            addresses[i] = address(hosts[i]);
        }
        for (int i = 0; i < hosts.length; i++)
        {
            for (int j = i + 1; j < hosts.length; j++)
            {
                // A member binds base + 1 to base + 5, not its base: bases 5 apart do not overlap.
                if (addresses[i].equals(addresses[j]) && Math.abs(basePorts[i] - basePorts[j]) < CATCHUP_OFFSET)
                {
                    throw new IllegalArgumentException("members " + i + " and " + j + " are on " +
                        (hosts[i].equals(hosts[j]) ? hosts[i] :
                        hosts[i] + " and " + hosts[j] + " (both " + addresses[i] + ")") +
                        " with base ports " + basePorts[i] + " and " + basePorts[j] + ": each takes the " +
                        CATCHUP_OFFSET + " ports base + " + ARCHIVE_CONTROL_OFFSET + " to base + " + CATCHUP_OFFSET +
                        ", so they overlap");
                }
            }
        }
        return new ClusterMembers(hosts, basePorts);
    }

    /**
     * What a host binds, as far as it is known without asking DNS: {@code localhost} and address literals are the
     * address Aeron binds for them, and host names are not case-sensitive.
     */
    private static String address(final String host)
    {
        final String name = host.toLowerCase(Locale.ROOT);
        if ("localhost".equals(name) || name.startsWith("[") || IPV4.matcher(name).matches())
        {
            try
            {
                return InetAddress.getByName(name.startsWith("[") ?
                    name.substring(1, name.indexOf(']')) : name).getHostAddress();
            }
            catch (final UnknownHostException ex)
            {
                return name; // not an address after all (999.1.1.1, say): Aeron will refuse it as it starts
            }
        }
        return name;
    }

    /**
     * @return how many members.
     */
    public int size()
    {
        return hosts.length;
    }

    /**
     * @param memberId a member.
     * @return its host.
     */
    public String host(final int memberId)
    {
        return hosts[memberId];
    }

    /**
     * @param memberId a member.
     * @return its base port.
     */
    public int basePort(final int memberId)
    {
        return basePorts[memberId];
    }

    /**
     * @param memberId a member.
     * @param offset   from its base port.
     * @return {@code host:port}.
     */
    String endpoint(final int memberId, final int offset)
    {
        return hosts[memberId] + ":" + (basePorts[memberId] + offset);
    }

    /**
     * @return the members as Aeron Cluster's consensus module reads them.
     */
    public String consensusMembers()
    {
        final StringBuilder builder = new StringBuilder();
        for (int i = 0; i < hosts.length; i++)
        {
            if (i > 0)
            {
                builder.append('|');
            }
            builder.append(i)
                .append(',').append(endpoint(i, INGRESS_OFFSET))
                .append(',').append(endpoint(i, CONSENSUS_OFFSET))
                .append(',').append(endpoint(i, LOG_OFFSET))
                .append(',').append(endpoint(i, CATCHUP_OFFSET))
                .append(',').append(endpoint(i, ARCHIVE_CONTROL_OFFSET));
        }
        return builder.toString();
    }

    /**
     * @return the members' client endpoints as an Aeron Cluster client reads them.
     */
    public String ingressEndpoints()
    {
        final StringBuilder builder = new StringBuilder();
        for (int i = 0; i < hosts.length; i++)
        {
            if (i > 0)
            {
                builder.append(',');
            }
            builder.append(i).append('=').append(endpoint(i, INGRESS_OFFSET));
        }
        return builder.toString();
    }
}
