// qf_client: a FIX initiator built on QuickFIX, driven by a JSON-lines script, that reports
// everything it sends and receives as JSON lines. It is exsim's independent FIX peer: a
// Python test scripts it and asserts on what this engine saw and how it judged it.
//
// Usage: qf_client [--spec-dir DIR] [--keep-going] [SCRIPT]   (SCRIPT defaults to stdin)
//
// Commands, one JSON object per line, each answered by one {"result": "ok"|"error", "cmd": ...}
// line (an "id" given in a command is echoed in its result):
//   connect     begin_string, sender, target, port; optional host (127.0.0.1), heartbeat
//               (30), reset_on_logon (true), store (directory for a FileStore; memory if
//               absent), spec_dir, default_appl_ver_id (FIXT.1.1; FIX.5.0SP2), validate
//               (true), next_sender_seq, next_target_seq (applied before logon),
//               logon_fields ([[field, value]...] added to our Logon), settings ({QuickFIX
//               setting: value}), timeout (seconds to wait for the logon; 10)
//   send        msg_type, fields ([[field, value]...] or {field: value}), header (same
//               forms). Fields are named as in the data dictionary or given by tag number;
//               values are wire text. TransactTime is filled in when the dictionary
//               requires it and the script did not give it.
//   new_order_single | order_cancel_request | order_cancel_replace_request |
//   order_status_request | order_mass_cancel_request: `send` with msg_type D, F, G, H, q
//   wait        dir ("in"), msg_type, where ({field: value}; a list is any of; null is
//               "absent"; a number compares numerically), timeout (5), absent (false:
//               succeed only if nothing matches within the timeout). A match is consumed.
//   skip_outbound  count: raise our next outgoing MsgSeqNum, opening a gap the peer sees.
//               Use a store directory: QuickFIX 1.15's MemoryStore returns nothing for a
//               resend range whose first number it never stored, so the message after the
//               gap would be gap-filled over instead of resent.
//   set_seq     next_sender, next_target: set the session's sequence numbers now
//   status      logged_on, next_sender, next_target
//   logout      text, timeout (10): send Logout, wait for the peer's, stop the initiator
//   disconnect  timeout (5): drop the TCP connection without Logout, stop the initiator
//   exit        end now, closing any connection without Logout (also at end of input)
//
// Output lines: {"dir": "in"|"out", "msg_type", "seq", "fields": [[tag, value]...], "raw"}
// for every message on the wire (admin and application, including resends and messages
// QuickFIX rejects), {"event": "logon"|"logout"|"log", "text"} for engine events, and the
// results above. Incoming messages are validated against QuickFIX's data dictionary, so a
// malformed message shows up as an outgoing Reject (35=3) or BusinessMessageReject (35=j).
// Exit status: 0, or 1 when a command failed (the run stops there unless --keep-going).

#include <quickfix/Application.h>
#include <quickfix/DataDictionary.h>
#include <quickfix/FileStore.h>
#include <quickfix/Log.h>
#include <quickfix/Message.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketInitiator.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <sys/socket.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "fixwire.h"

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace
{

struct CommandError : std::runtime_error
{
  using std::runtime_error::runtime_error;
};

struct Received
{
  std::string msgType;
  fixwire::Fields fields;
  json line;
};

// Everything the QuickFIX threads report, guarded by one mutex: printed lines, the
// messages not yet consumed by a `wait`, and the logon state.
class Mailbox
{
public:
  void print(const json& line)
  {
    std::lock_guard<std::mutex> lock(m_print);
    std::cout << fixwire::dump(line) << '\n' << std::flush;
  }

  void message(const char* dir, const std::string& raw)
  {
    fixwire::Fields fields = fixwire::split(raw);
    json line = fixwire::toJson(dir, raw, fields);
    print(line);
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& box = dir[0] == 'i' ? m_in : m_out;
    const std::string* msgType = fixwire::find(fields, 35);
    box.push_back({msgType ? *msgType : std::string(), std::move(fields), std::move(line)});
    if (box.size() > kMaxKept)
      box.pop_front();
    m_changed.notify_all();
  }

  void loggedOn(bool value)
  {
    print({{"event", value ? "logon" : "logout"}});
    std::lock_guard<std::mutex> lock(m_mutex);
    m_loggedOn = value;
    m_changed.notify_all();
  }

  bool isLoggedOn()
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_loggedOn;
  }

  bool waitLoggedOn(bool value, double seconds)
  {
    std::unique_lock<std::mutex> lock(m_mutex);
    return m_changed.wait_for(lock, std::chrono::duration<double>(seconds),
                              [&] { return m_loggedOn == value; });
  }

  // Removes and returns the first message in `dir` accepted by `match`, waiting up to
  // `seconds` for one to arrive.
  template <class Match>
  bool take(bool incoming, const Match& match, double seconds, Received& found)
  {
    auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(seconds));
    std::unique_lock<std::mutex> lock(m_mutex);
    auto& box = incoming ? m_in : m_out;
    auto pop = [&] {
      for (auto it = box.begin(); it != box.end(); ++it)
        if (match(*it))
        {
          found = std::move(*it);
          box.erase(it);
          return true;
        }
      return false;
    };
    // Wakes on every new message; the predicate looks for a match each time.
    return m_changed.wait_until(lock, deadline, pop);
  }

private:
  static constexpr std::size_t kMaxKept = 100000;
  std::mutex m_print;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<Received> m_in;
  std::deque<Received> m_out;
  bool m_loggedOn = false;
};

class WireLog : public FIX::Log
{
public:
  explicit WireLog(Mailbox& mailbox) : m_mailbox(mailbox) {}
  void clear() override {}
  void backup() override {}
  void onIncoming(const std::string& raw) override { m_mailbox.message("in", raw); }
  void onOutgoing(const std::string& raw) override { m_mailbox.message("out", raw); }
  void onEvent(const std::string& text) override
  {
    m_mailbox.print({{"event", "log"}, {"text", text}});
  }

private:
  Mailbox& m_mailbox;
};

class WireLogFactory : public FIX::LogFactory
{
public:
  explicit WireLogFactory(Mailbox& mailbox) : m_mailbox(mailbox) {}
  FIX::Log* create() override { return new WireLog(m_mailbox); }
  FIX::Log* create(const FIX::SessionID&) override { return new WireLog(m_mailbox); }
  void destroy(FIX::Log* log) override { delete log; }

private:
  Mailbox& m_mailbox;
};

class ClientApplication : public FIX::Application
{
public:
  explicit ClientApplication(Mailbox& mailbox) : m_mailbox(mailbox) {}

  fixwire::Fields logonFields;

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override { m_mailbox.loggedOn(true); }
  void onLogout(const FIX::SessionID&) override
  {
    if (m_mailbox.isLoggedOn())
      m_mailbox.loggedOn(false);
  }
  void toAdmin(FIX::Message& message, const FIX::SessionID&) override
  {
    if (message.getHeader().getField(FIX::FIELD::MsgType) == "A")
      for (const auto& field : logonFields)
        message.setField(field.first, field.second);
  }
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue,
            FIX::RejectLogon) override {}
  void fromApp(const FIX::Message&, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue,
            FIX::UnsupportedMessageType) override {}

private:
  Mailbox& m_mailbox;
};

std::string seconds(double value)
{
  char text[32];
  std::snprintf(text, sizeof(text), "%g s", value);
  return text;
}

std::string text(const json& value)
{
  if (value.is_string())
    return value.get<std::string>();
  if (value.is_boolean())
    return value.get<bool>() ? "Y" : "N";
  if (value.is_number())
    return value.dump();
  throw CommandError("a field value must be a string, number or boolean, not " + value.dump());
}

double number(const json& command, const char* key, double fallback)
{
  if (!command.contains(key) || command[key].is_null())
    return fallback;
  if (!command[key].is_number())
    throw CommandError(std::string("'") + key + "' must be a number");
  return command[key].get<double>();
}

std::string string(const json& command, const char* key)
{
  if (!command.contains(key) || !command[key].is_string())
    throw CommandError(std::string("'") + key + "' (a string) is required");
  return command[key].get<std::string>();
}

class Client
{
public:
  explicit Client(std::string specDir) : m_specDir(std::move(specDir)) {}
  ~Client() { stop(); }

  Mailbox& mailbox() { return m_mailbox; }

  json run(const std::string& cmd, const json& command)
  {
    if (cmd == "connect")
      return connect(command);
    if (cmd == "send")
      return send(string(command, "msg_type"), command);
    static const std::map<std::string, std::string> aliases = {
        {"new_order_single", "D"}, {"order_cancel_request", "F"},
        {"order_cancel_replace_request", "G"}, {"order_status_request", "H"},
        {"order_mass_cancel_request", "q"}};
    auto alias = aliases.find(cmd);
    if (alias != aliases.end())
      return send(alias->second, command);
    if (cmd == "wait")
      return wait(command);
    if (cmd == "skip_outbound")
    {
      FIX::Session& s = session();
      s.setNextSenderMsgSeqNum(s.getExpectedSenderNum() +
                               static_cast<int>(number(command, "count", 1)));
      return sequenceNumbers();
    }
    if (cmd == "set_seq")
    {
      FIX::Session& s = session();
      if (command.contains("next_sender"))
        s.setNextSenderMsgSeqNum(static_cast<int>(number(command, "next_sender", 1)));
      if (command.contains("next_target"))
        s.setNextTargetMsgSeqNum(static_cast<int>(number(command, "next_target", 1)));
      return sequenceNumbers();
    }
    if (cmd == "status")
    {
      json result = m_initiator ? sequenceNumbers() : json::object();
      result["logged_on"] = m_mailbox.isLoggedOn();
      return result;
    }
    if (cmd == "logout")
      return logout(command);
    if (cmd == "disconnect")
      return disconnect(command);
    throw CommandError("unknown command '" + cmd +
                       "'; known: connect, send, new_order_single, order_cancel_request, "
                       "order_cancel_replace_request, order_status_request, "
                       "order_mass_cancel_request, wait, skip_outbound, set_seq, status, "
                       "logout, disconnect, exit");
  }

  void stop()
  {
    if (!m_initiator)
      return;
    m_initiator->stop(true);
    m_initiator.reset();
    m_store.reset();
    if (m_mailbox.isLoggedOn())
      m_mailbox.loggedOn(false);
  }

private:
  json connect(const json& command)
  {
    if (m_initiator)
      throw CommandError("already connected; send logout or disconnect first");
    std::string beginString = string(command, "begin_string");
    std::string specDir = command.value("spec_dir", m_specDir);
    std::string applVerID = command.value("default_appl_ver_id", std::string("FIX.5.0SP2"));
    bool validate = command.value("validate", true);
    m_port = static_cast<int>(number(command, "port", 0));
    if (m_port <= 0)
      throw CommandError("'port' (a TCP port number) is required");

    std::map<std::string, std::string> session = {
        {"ConnectionType", "initiator"},
        {"BeginString", beginString},
        {"SenderCompID", string(command, "sender")},
        {"TargetCompID", string(command, "target")},
        {"SocketConnectHost", command.value("host", std::string("127.0.0.1"))},
        {"SocketConnectPort", std::to_string(m_port)},
        {"HeartBtInt", std::to_string(static_cast<int>(number(command, "heartbeat", 30)))},
        {"ResetOnLogon", command.value("reset_on_logon", true) ? "Y" : "N"},
        {"ReconnectInterval", "30"},
        {"StartTime", "00:00:00"},
        {"EndTime", "00:00:00"},
        {"UseDataDictionary", validate ? "Y" : "N"},
        {"FileStorePath", command.value("store", std::string("."))}};
    for (const auto& item : fixwire::dictionarySettings(specDir, beginString, applVerID))
      session[item.first] = item.second;
    json extra = command.value("settings", json::object());
    for (const auto& item : extra.items())
      session[item.key()] = text(item.value());

    loadDictionaries(session, beginString);
    m_application.logonFields = fields(command.value("logon_fields", json::array()));

    std::istringstream stream(fixwire::settingsText({}, {session}));
    FIX::SessionSettings settings(stream);
    m_sessionID = *settings.getSessions().begin();
    if (command.contains("store") && command["store"].is_string())
      m_store.reset(new FIX::FileStoreFactory(settings));
    else
      m_store.reset(new FIX::MemoryStoreFactory());
    m_initiator.reset(new FIX::SocketInitiator(m_application, *m_store, settings, m_logs));
    if (command.contains("next_sender_seq"))
      this->session().setNextSenderMsgSeqNum(
          static_cast<int>(number(command, "next_sender_seq", 1)));
    if (command.contains("next_target_seq"))
      this->session().setNextTargetMsgSeqNum(
          static_cast<int>(number(command, "next_target_seq", 1)));
    m_initiator->start();
    double timeout = number(command, "timeout", 10);
    if (!m_mailbox.waitLoggedOn(true, timeout))
    {
      stop();
      throw CommandError("no logon within " + seconds(timeout));
    }
    return sequenceNumbers();
  }

  void loadDictionaries(const std::map<std::string, std::string>& session,
                        const std::string& beginString)
  {
    auto load = [](const std::string& path) {
      std::ifstream probe(path);
      if (!probe)
        throw CommandError("data dictionary " + path +
                           " not found; run tests/interop/quickfix/install.sh or pass "
                           "spec_dir");
      return std::make_shared<FIX::DataDictionary>(path);
    };
    if (beginString == "FIXT.1.1")
    {
      m_sessionDictionary = load(session.at("TransportDataDictionary"));
      m_appDictionary = load(session.at("AppDataDictionary"));
    }
    else
    {
      m_sessionDictionary = load(session.at("DataDictionary"));
      m_appDictionary = m_sessionDictionary;
    }
  }

  int tag(const std::string& name) const
  {
    if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos)
      return std::atoi(name.c_str());
    int field = 0;
    if (m_sessionDictionary && m_sessionDictionary->getFieldTag(name, field))
      return field;
    if (m_appDictionary && m_appDictionary->getFieldTag(name, field))
      return field;
    throw CommandError("unknown field name '" + name +
                       "' in this session's data dictionary; give the tag number instead");
  }

  fixwire::Fields fields(const json& given) const
  {
    fixwire::Fields result;
    if (given.is_object())
      for (const auto& item : given.items())
        result.emplace_back(tag(item.key()), text(item.value()));
    else if (given.is_array())
      for (const auto& item : given)
      {
        if (!item.is_array() || item.size() != 2 || (!item[0].is_string() && !item[0].is_number()))
          throw CommandError("fields must be [[field, value], ...], not " + item.dump());
        std::string key = item[0].is_string() ? item[0].get<std::string>() : item[0].dump();
        result.emplace_back(tag(key), text(item[1]));
      }
    else if (!given.is_null())
      throw CommandError("fields must be a list of [field, value] pairs or an object");
    return result;
  }

  FIX::Session& session()
  {
    FIX::Session* found = m_initiator ? FIX::Session::lookupSession(m_sessionID) : nullptr;
    if (!found)
      throw CommandError("not connected; send connect first");
    return *found;
  }

  json sequenceNumbers()
  {
    FIX::Session& s = session();
    return {{"next_sender", s.getExpectedSenderNum()}, {"next_target", s.getExpectedTargetNum()}};
  }

  json send(const std::string& msgType, const json& command)
  {
    session();
    fixwire::Fields body = fields(command.value("fields", json::array()));
    fixwire::Fields header = fields(command.value("header", json::array()));
    bool hasTransactTime = false;
    std::string raw = "8=" + m_sessionID.getBeginString().getValue() + "\0019=0\00135=" +
                      msgType + "\001";
    for (const auto& field : body)
    {
      raw += std::to_string(field.first) + "=" + field.second + "\001";
      hasTransactTime = hasTransactTime || field.first == FIX::FIELD::TransactTime;
    }
    if (!hasTransactTime && m_appDictionary->isRequiredField(msgType, FIX::FIELD::TransactTime))
      raw += "60=" + fixwire::utcTimestamp() + "\001";
    raw += "10=000\001";
    FIX::Message message(raw, *m_sessionDictionary, *m_appDictionary, false);
    for (const auto& field : header)
      message.getHeader().setField(field.first, field.second);
    bool sent = FIX::Session::sendToTarget(message, m_sessionID);
    int seq = 0;
    if (message.getHeader().isSetField(FIX::FIELD::MsgSeqNum))
      seq = std::atoi(message.getHeader().getField(FIX::FIELD::MsgSeqNum).c_str());
    return {{"sent", sent}, {"seq", seq}};
  }

  json wait(const json& command)
  {
    bool incoming = command.value("dir", std::string("in")) != "out";
    std::string msgType = command.value("msg_type", std::string());
    std::vector<std::pair<int, json>> where;
    json conditions = command.value("where", json::object());
    for (const auto& item : conditions.items())
      where.emplace_back(tag(item.key()), item.value());
    double timeout = number(command, "timeout", 5);
    bool absent = command.value("absent", false);

    auto matches = [&](const Received& message) {
      if (!msgType.empty() && message.msgType != msgType)
        return false;
      for (const auto& condition : where)
        if (!valueMatches(fixwire::find(message.fields, condition.first), condition.second))
          return false;
      return true;
    };
    Received found;
    bool got = m_mailbox.take(incoming, matches, timeout, found);
    json description = {{"dir", incoming ? "in" : "out"}, {"msg_type", msgType},
                        {"where", conditions}};
    if (absent && got)
      throw CommandError("unexpected message " + fixwire::dump(found.line["raw"]) +
                         " matching " + fixwire::dump(description));
    if (!absent && !got)
      throw CommandError("no message matching " + fixwire::dump(description) + " within " +
                         seconds(timeout));
    return absent ? json::object() : json{{"message", found.line}};
  }

  static bool valueMatches(const std::string* actual, const json& expected)
  {
    if (expected.is_array())
    {
      for (const auto& option : expected)
        if (valueMatches(actual, option))
          return true;
      return false;
    }
    if (expected.is_null())
      return actual == nullptr;
    if (actual == nullptr)
      return false;
    if (expected.is_number())
    {
      char* end = nullptr;
      double value = std::strtod(actual->c_str(), &end);
      return end != actual->c_str() && *end == '\0' &&
             std::fabs(value - expected.get<double>()) < 1e-9;
    }
    return *actual == text(expected);
  }

  json logout(const json& command)
  {
    FIX::Session& s = session();
    if (!m_mailbox.isLoggedOn())
      throw CommandError("not logged on");
    double timeout = number(command, "timeout", 10);
    s.logout(command.value("text", std::string()));
    bool done = m_mailbox.waitLoggedOn(false, timeout);
    stop();
    if (!done)
      throw CommandError("logout not completed within " + seconds(timeout));
    return json::object();
  }

  // Closes our socket to the acceptor with shutdown(2): the QuickFIX thread sees the
  // connection end as if the network had dropped it, and no Logout is sent.
  json disconnect(const json& command)
  {
    session();
    double timeout = number(command, "timeout", 5);
    bool wasLoggedOn = m_mailbox.isLoggedOn();
    int closed = shutdownPeerSockets(m_port);
    bool done = !wasLoggedOn || m_mailbox.waitLoggedOn(false, timeout);
    stop();
    if (!done)
      throw CommandError("session still logged on " + seconds(timeout) +
                         " after the connection was closed");
    return {{"sockets_closed", closed}};
  }

  static int shutdownPeerSockets(int port)
  {
    int count = 0;
    DIR* fds = opendir("/proc/self/fd");
    if (!fds)
      return 0;
    while (dirent* entry = readdir(fds))
    {
      int fd = std::atoi(entry->d_name);
      sockaddr_storage peer{};
      socklen_t length = sizeof(peer);
      if (fd <= 2 || getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0)
        continue;
      int peerPort = 0;
      if (peer.ss_family == AF_INET)
        peerPort = ntohs(reinterpret_cast<sockaddr_in*>(&peer)->sin_port);
      else if (peer.ss_family == AF_INET6)
        peerPort = ntohs(reinterpret_cast<sockaddr_in6*>(&peer)->sin6_port);
      if (peerPort == port && shutdown(fd, SHUT_RDWR) == 0)
        ++count;
    }
    closedir(fds);
    return count;
  }

  std::string m_specDir;
  Mailbox m_mailbox;
  ClientApplication m_application{m_mailbox};
  WireLogFactory m_logs{m_mailbox};
  std::unique_ptr<FIX::MessageStoreFactory> m_store;
  std::unique_ptr<FIX::SocketInitiator> m_initiator;
  std::shared_ptr<FIX::DataDictionary> m_sessionDictionary;
  std::shared_ptr<FIX::DataDictionary> m_appDictionary;
  FIX::SessionID m_sessionID;
  int m_port = 0;
};

} // namespace

int main(int argc, char** argv)
{
  const char* envSpec = std::getenv("QUICKFIX_SPEC_DIR");
  std::string specDir = envSpec ? envSpec : "/usr/local/share/quickfix/spec";
  bool keepGoing = false;
  std::string scriptPath;
  for (int i = 1; i < argc; ++i)
  {
    std::string arg = argv[i];
    if (arg == "--spec-dir" && i + 1 < argc)
      specDir = argv[++i];
    else if (arg == "--keep-going")
      keepGoing = true;
    else if (arg == "-h" || arg == "--help")
    {
      std::cout << "usage: qf_client [--spec-dir DIR] [--keep-going] [SCRIPT]\n";
      return 0;
    }
    else
      scriptPath = arg;
  }
  std::ifstream file;
  if (!scriptPath.empty())
  {
    file.open(scriptPath);
    if (!file)
    {
      std::cerr << "qf_client: cannot read script " << scriptPath << "\n";
      return 2;
    }
  }
  std::istream& input = scriptPath.empty() ? std::cin : file;

  Client client(specDir);
  int status = 0;
  std::string line;
  while (std::getline(input, line))
  {
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    json command;
    json result = {{"result", "ok"}};
    try
    {
      command = json::parse(line);
      if (!command.is_object() || !command.contains("cmd") || !command["cmd"].is_string())
        throw CommandError("a command is a JSON object with a \"cmd\" string");
      std::string cmd = command["cmd"].get<std::string>();
      result["cmd"] = cmd;
      if (command.contains("id"))
        result["id"] = command["id"];
      if (cmd == "exit")
      {
        // Every store write is already flushed, so nothing is lost by not waiting for the
        // QuickFIX thread's next timer tick: the connection simply closes.
        client.mailbox().print(result);
        std::_Exit(status);
      }
      result.update(client.run(cmd, command));
    }
    catch (const std::exception& error)
    {
      result["result"] = "error";
      result["text"] = error.what();
      status = 1;
    }
    client.mailbox().print(result);
    if (status != 0 && !keepGoing)
      break;
  }
  client.mailbox().print({{"event", "end"}});
  std::cout.flush();
  std::_Exit(status);
}
