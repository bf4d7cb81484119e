// ack_acceptor: the smallest FIX acceptor that keeps a load client busy. It answers a Logon
// with a Logon, a TestRequest with a Heartbeat, a Logout with a Logout, and every
// NewOrderSingle with an ExecutionReport "new" (FIX 4.2/4.4 layout), on raw sockets with no
// session checks, no store and no book. It exists to show how fast qf_load itself can go:
// pointed at this, the load client rather than the acceptor is the limit.
//
// Usage: ack_acceptor [PORT]   (0 or absent: any free port). Listens on 127.0.0.1 only and
// prints {"port": N} once listening. Ends on SIGTERM/SIGINT or end of standard input.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "fixwire.h"

namespace
{

constexpr std::size_t kMaxBuffered = 1 << 20;

struct Connection
{
  int fd;
  std::string in;
  std::string out;
  long nextSeq = 1;
  long orders = 0;
  bool closing = false;
};

void append(std::string& out, const std::string& beginString, const std::string& msgType,
            Connection& connection, const fixwire::Fields& request, const std::string& body)
{
  const std::string* sender = fixwire::find(request, 49);
  const std::string* target = fixwire::find(request, 56);
  std::string content = "35=" + msgType + "\00134=" + std::to_string(connection.nextSeq++) +
                        "\00149=" + (target ? *target : "") + "\00152=" +
                        fixwire::utcTimestamp() + "\00156=" + (sender ? *sender : "") + "\001" +
                        body;
  std::string message = "8=" + beginString + "\0019=" + std::to_string(content.size()) + "\001" +
                        content;
  unsigned sum = 0;
  for (unsigned char c : message)
    sum += c;
  char trailer[16];
  std::snprintf(trailer, sizeof(trailer), "10=%03u\001", sum % 256);
  out += message;
  out += trailer;
}

std::string field(const fixwire::Fields& fields, int tag)
{
  const std::string* value = fixwire::find(fields, tag);
  return value ? *value : std::string();
}

void answer(Connection& connection, const std::string& raw)
{
  fixwire::Fields request = fixwire::split(raw);
  std::string beginString = field(request, 8);
  std::string msgType = field(request, 35);
  if (msgType == "A")
  {
    if (field(request, 141) == "Y")
      connection.nextSeq = 1;
    std::string body = "98=0\001108=" + field(request, 108) + "\001";
    if (field(request, 141) == "Y")
      body += "141=Y\001";
    if (beginString == "FIXT.1.1")
      body += "1137=" + field(request, 1137) + "\001";
    append(connection.out, beginString, "A", connection, request, body);
  }
  else if (msgType == "1")
    append(connection.out, beginString, "0", connection, request,
           "112=" + field(request, 112) + "\001");
  else if (msgType == "5")
  {
    append(connection.out, beginString, "5", connection, request, "");
    connection.closing = true;
  }
  else if (msgType == "D")
  {
    std::string id = std::to_string(++connection.orders);
    std::string body = "6=0\00111=" + field(request, 11) + "\00114=0\00117=" + id + "\001";
    if (beginString == "FIX.4.2")
      body += "20=0\001";
    body += "37=" + id + "\00138=" + field(request, 38) + "\00139=0\00154=" +
            field(request, 54) + "\00155=" + field(request, 55) + "\001150=0\001151=" +
            field(request, 38) + "\001";
    append(connection.out, beginString, "8", connection, request, body);
  }
}

// Takes every complete message off the front of `connection.in`; false if the stream is
// not FIX (the connection is then dropped).
bool consume(Connection& connection)
{
  std::string& in = connection.in;
  std::size_t pos = 0;
  while (true)
  {
    std::size_t lengthAt = in.find("\0019=", pos);
    if (lengthAt == std::string::npos)
      break;
    std::size_t lengthEnd = in.find('\001', lengthAt + 3);
    if (lengthEnd == std::string::npos)
      break;
    long bodyLength = std::strtol(in.c_str() + lengthAt + 3, nullptr, 10);
    if (bodyLength <= 0 || in.compare(pos, 2, "8=") != 0)
      return false;
    std::size_t end = lengthEnd + 1 + static_cast<std::size_t>(bodyLength) + 7;
    if (end > in.size())
      break;
    answer(connection, in.substr(pos, end - pos));
    pos = end;
  }
  in.erase(0, pos);
  return in.size() <= kMaxBuffered;
}

} // namespace

int main(int argc, char** argv)
{
  int port = argc > 1 ? std::atoi(argv[1]) : 0;
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int yes = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(listener, 64) != 0)
  {
    std::perror("ack_acceptor: cannot listen");
    return 2;
  }
  socklen_t length = sizeof(address);
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  std::cout << "{\"port\": " << ntohs(address.sin_port) << "}" << std::endl;

  std::map<int, Connection> connections;
  std::vector<char> buffer(65536);
  while (true)
  {
    std::vector<pollfd> fds = {{STDIN_FILENO, POLLIN, 0}, {listener, POLLIN, 0}};
    for (const auto& item : connections)
      fds.push_back({item.first, POLLIN, 0});
    if (poll(fds.data(), fds.size(), 1000) < 0)
      continue;
    if (fds[0].revents & (POLLIN | POLLHUP))
    {
      ssize_t got = read(STDIN_FILENO, buffer.data(), buffer.size());
      if (got <= 0)
        break;
    }
    if (fds[1].revents & POLLIN)
    {
      int fd = accept(listener, nullptr, nullptr);
      if (fd >= 0)
      {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
        connections[fd] = Connection{fd};
      }
    }
    for (std::size_t i = 2; i < fds.size(); ++i)
    {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      Connection& connection = connections[fds[i].fd];
      ssize_t got = recv(connection.fd, buffer.data(), buffer.size(), 0);
      bool keep = got > 0;
      if (keep)
      {
        connection.in.append(buffer.data(), static_cast<std::size_t>(got));
        keep = consume(connection);
      }
      std::size_t sent = 0;
      while (keep && sent < connection.out.size())
      {
        ssize_t wrote = send(connection.fd, connection.out.data() + sent,
                             connection.out.size() - sent, MSG_NOSIGNAL);
        if (wrote <= 0)
          keep = false;
        else
          sent += static_cast<std::size_t>(wrote);
      }
      connection.out.clear();
      if (!keep || connection.closing)
      {
        close(connection.fd);
        connections.erase(fds[i].fd);
      }
    }
  }
  for (const auto& item : connections)
    close(item.first);
  close(listener);
  return 0;
}
