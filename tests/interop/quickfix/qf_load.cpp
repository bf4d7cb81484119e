// qf_load: a FIX load client built on QuickFIX. It logs N initiator sessions on to any FIX
// acceptor, keeps a window of W NewOrderSingles outstanding per session from a seeded
// workload, measures the round trip from each NewOrderSingle to the first ExecutionReport
// for it, and prints one JSON object with the percentiles and the sustained orders/s.
//
// The workload: limit orders on one or more symbols, prices a seeded number of ticks away
// from a base price on the passive side, so that they rest and acknowledgements dominate;
// --cross-pct makes that percentage aggressive (priced through the base), so fills mix in.
// --window 1 gives one order in flight per session: pure round-trip latency.
//
// Run qf_load --help for the options.

#include <sys/resource.h>

#include <quickfix/Application.h>
#include <quickfix/MessageStore.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/ThreadedSocketInitiator.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "fixwire.h"

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace
{

struct Options
{
  std::string host = "127.0.0.1";
  int port = 0;
  std::string beginString = "FIX.4.2";
  std::string senderPrefix = "LOAD";
  std::string target;
  int sessions = 1;
  long orders = 10000;
  long warmup = 1000;
  int window = 1;
  unsigned long seed = 1;
  double crossPct = 0;
  std::vector<std::string> symbols = {"LOAD"};
  double basePrice = 100.0;
  double tick = 0.01;
  std::string timeInForce = "0";
  std::string idPrefix;
  std::string specDir = "/usr/local/share/quickfix/spec";
  std::string applVerID = "FIX.5.0SP2";
  bool validate = true;
  bool resetOnLogon = true;
  double timeout = 120;
};

const char* kUsage =
    "usage: qf_load --port PORT --target COMPID [options]\n"
    "  --host H            acceptor address (127.0.0.1)\n"
    "  --begin-string S    FIX.4.2 (default), FIX.4.4 or FIXT.1.1\n"
    "  --sender-prefix P   session i (1..N) logs on as P<i> (LOAD)\n"
    "  --sessions N        FIX sessions (1)\n"
    "  --orders N          measured orders per session (10000)\n"
    "  --warmup N          orders per session sent first and not measured (1000)\n"
    "  --window W          outstanding orders per session (1 = one in flight)\n"
    "  --seed S            workload seed (1)\n"
    "  --cross-pct P       percentage of aggressive (crossing) orders (0)\n"
    "  --symbols A,B       symbols, chosen per order by the seeded generator (LOAD)\n"
    "  --price P --tick T  base price (100.0) and tick (0.01)\n"
    "  --tif C             TimeInForce (0 = Day)\n"
    "  --id-prefix X       ClOrdID prefix (default: from the clock, unique per run)\n"
    "  --spec-dir DIR      QuickFIX data dictionaries (/usr/local/share/quickfix/spec)\n"
    "  --no-validate       do not validate incoming messages with the data dictionary\n"
    "  --no-reset          log on without ResetSeqNumFlag (141=Y is sent by default)\n"
    "  --timeout S         give up after S seconds (120)\n";

// Orders are priced at most this many ticks from the base price.
constexpr int kMaxTicks = 50;

struct Order
{
  char side;
  int ticks;
  long quantity;
  int symbol;
};

// One FIX session's share of the run. Everything here is touched by the session's
// QuickFIX thread and, for the first window, by the main thread: `mutex` orders them.
struct Flow
{
  FIX::SessionID id;
  FIX::Session* session = nullptr;
  std::mutex mutex;
  std::vector<Order> orders;
  std::vector<Clock::time_point> sentAt;
  std::vector<char> answered;
  std::vector<std::int64_t> latencies;
  long next = 0;
  long answeredCount = 0;
  Clock::time_point firstMeasuredSend{};
  Clock::time_point lastMeasuredAnswer{};
  long fills = 0;
  long rejects = 0;
  long execReports = 0;
  long long timeMillis = -1;
  std::string timeText;
};

class LoadApplication : public FIX::Application
{
public:
  LoadApplication(const Options& options, std::vector<std::unique_ptr<Flow>>& flows)
      : m_options(options), m_flows(flows) {}

  std::mutex mutex;
  std::condition_variable changed;
  int loggedOn = 0;
  long doneSessions = 0;
  std::atomic<long> sessionRejects{0};
  std::atomic<long> businessRejects{0};
  std::vector<std::string> errors;

  // Sends orders until the window is full or the session's orders are all sent.
  void fill(Flow& flow)
  {
    std::lock_guard<std::mutex> lock(flow.mutex);
    long total = static_cast<long>(flow.orders.size());
    while (flow.next < total && flow.next - flow.answeredCount < m_options.window)
      sendOrder(flow, flow.next++);
  }

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override
  {
    std::lock_guard<std::mutex> lock(mutex);
    ++loggedOn;
    changed.notify_all();
  }
  void onLogout(const FIX::SessionID& id) override
  {
    std::lock_guard<std::mutex> lock(mutex);
    --loggedOn;
    errors.push_back("session " + id.toString() + " logged out");
    changed.notify_all();
  }
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message& message, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue,
            FIX::RejectLogon) override
  {
    const std::string& msgType = message.getHeader().getField(FIX::FIELD::MsgType);
    if (msgType == "3")
      noteError(sessionRejects, message);
  }
  void fromApp(const FIX::Message& message, const FIX::SessionID& id)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue,
            FIX::UnsupportedMessageType) override
  {
    auto now = Clock::now();
    const std::string& msgType = message.getHeader().getField(FIX::FIELD::MsgType);
    if (msgType != "8")
    {
      if (msgType == "j")
        noteError(businessRejects, message);
      return;
    }
    Flow& flow = *m_flows[flowIndex(id)];
    if (!message.isSetField(FIX::FIELD::ClOrdID))
      return;
    const std::string& clOrdID = message.getField(FIX::FIELD::ClOrdID);
    if (clOrdID.compare(0, m_prefixes[flowIndex(id)].size(), m_prefixes[flowIndex(id)]) != 0)
      return;
    long index = std::strtol(clOrdID.c_str() + m_prefixes[flowIndex(id)].size(), nullptr, 10);
    bool finished = false;
    {
      std::lock_guard<std::mutex> lock(flow.mutex);
      ++flow.execReports;
      if (message.isSetField(FIX::FIELD::ExecType))
      {
        const std::string& execType = message.getField(FIX::FIELD::ExecType);
        if (execType == "1" || execType == "2" || execType == "F")
          ++flow.fills;
        else if (execType == "8")
          ++flow.rejects;
      }
      if (index < 0 || index >= static_cast<long>(flow.orders.size()) || flow.answered[index])
        return;
      flow.answered[index] = 1;
      ++flow.answeredCount;
      if (index >= m_options.warmup)
      {
        flow.latencies.push_back(
            std::chrono::duration_cast<std::chrono::nanoseconds>(now - flow.sentAt[index])
                .count());
        flow.lastMeasuredAnswer = now;
      }
      finished = flow.answeredCount == static_cast<long>(flow.orders.size());
    }
    if (finished)
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++doneSessions;
      changed.notify_all();
    }
    else
      fill(flow);
  }

  void index(const std::vector<std::string>& prefixes)
  {
    m_prefixes = prefixes;
    for (std::size_t i = 0; i < m_flows.size(); ++i)
      m_byId[m_flows[i]->id] = i;
  }

private:
  std::size_t flowIndex(const FIX::SessionID& id) const { return m_byId.at(id); }

  void noteError(std::atomic<long>& counter, const FIX::Message& message)
  {
    ++counter;
    std::lock_guard<std::mutex> lock(mutex);
    if (errors.size() < 10)
      errors.push_back(message.toString());
  }

  void sendOrder(Flow& flow, long index)
  {
    const Order& order = flow.orders[index];
    FIX::Message message;
    FIX::Header& header = message.getHeader();
    header.setField(FIX::FIELD::MsgType, "D");
    message.setField(FIX::FIELD::ClOrdID, m_prefixes[flowIndex(flow.id)] + std::to_string(index));
    message.setField(FIX::FIELD::HandlInst, "1");
    message.setField(FIX::FIELD::Symbol, m_options.symbols[order.symbol]);
    message.setField(FIX::FIELD::Side, std::string(1, order.side));
    message.setField(FIX::FIELD::TransactTime, transactTime(flow));
    message.setField(FIX::FIELD::OrderQty, std::to_string(order.quantity));
    message.setField(FIX::FIELD::OrdType, "2");
    message.setField(FIX::FIELD::Price, m_prices[static_cast<std::size_t>(order.ticks + kMaxTicks)]);
    message.setField(FIX::FIELD::TimeInForce, m_options.timeInForce);
    auto now = Clock::now();
    flow.sentAt[index] = now;
    if (index == m_options.warmup)
      flow.firstMeasuredSend = now;
    flow.session->send(message);
  }

  // The UTC time formatted once per millisecond, not once per order.
  static const std::string& transactTime(Flow& flow)
  {
    auto now = std::chrono::system_clock::now();
    auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
    if (millis.count() != flow.timeMillis)
    {
      flow.timeMillis = millis.count();
      flow.timeText = fixwire::utcTimestamp();
    }
    return flow.timeText;
  }

  const Options& m_options;
  std::vector<std::unique_ptr<Flow>>& m_flows;
  std::vector<std::string> m_prefixes;
  std::map<FIX::SessionID, std::size_t> m_byId;
  std::vector<std::string> m_prices;

public:
  // Formats the price of every tick offset the workload can produce, once.
  void pricePoints()
  {
    int decimals = 0;
    for (double tick = m_options.tick; decimals < 8 && tick - static_cast<long>(tick) > 1e-9;
         tick *= 10)
      ++decimals;
    for (int ticks = -kMaxTicks; ticks <= kMaxTicks; ++ticks)
    {
      char price[32];
      std::snprintf(price, sizeof(price), "%.*f", decimals,
                    m_options.basePrice + ticks * m_options.tick);
      m_prices.push_back(price);
    }
  }
};

std::vector<Order> workload(const Options& options, int sessionIndex)
{
  std::mt19937_64 random(options.seed * 1000003ULL + static_cast<unsigned long>(sessionIndex));
  std::uniform_int_distribution<int> percent(0, 9999);
  std::uniform_int_distribution<int> distance(1, kMaxTicks);
  std::uniform_int_distribution<int> lots(1, 10);
  std::uniform_int_distribution<int> symbol(0, static_cast<int>(options.symbols.size()) - 1);
  std::vector<Order> orders;
  long total = options.orders + options.warmup;
  orders.reserve(static_cast<std::size_t>(total));
  for (long i = 0; i < total; ++i)
  {
    bool buy = percent(random) < 5000;
    bool cross = percent(random) < static_cast<int>(options.crossPct * 100);
    int ticks = distance(random);
    // A passive buy sits below the base price and a passive sell above it; an aggressive
    // order is priced through the base by the same distance, so it meets resting orders.
    if (buy != cross)
      ticks = -ticks;
    orders.push_back({buy ? '1' : '2', ticks, 100L * lots(random), symbol(random)});
  }
  return orders;
}

std::vector<std::string> splitList(const std::string& text)
{
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size())
  {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos)
      comma = text.size();
    if (comma > start)
      items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

bool parse(int argc, char** argv, Options& options)
{
  for (int i = 1; i < argc; ++i)
  {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--host") options.host = value();
    else if (arg == "--port") options.port = std::stoi(value());
    else if (arg == "--begin-string") options.beginString = value();
    else if (arg == "--sender-prefix") options.senderPrefix = value();
    else if (arg == "--target") options.target = value();
    else if (arg == "--sessions") options.sessions = std::stoi(value());
    else if (arg == "--orders") options.orders = std::stol(value());
    else if (arg == "--warmup") options.warmup = std::stol(value());
    else if (arg == "--window") options.window = std::stoi(value());
    else if (arg == "--seed") options.seed = std::stoul(value());
    else if (arg == "--cross-pct") options.crossPct = std::stod(value());
    else if (arg == "--symbols") options.symbols = splitList(value());
    else if (arg == "--price") options.basePrice = std::stod(value());
    else if (arg == "--tick") options.tick = std::stod(value());
    else if (arg == "--tif") options.timeInForce = value();
    else if (arg == "--id-prefix") options.idPrefix = value();
    else if (arg == "--spec-dir") options.specDir = value();
    else if (arg == "--appl-ver-id") options.applVerID = value();
    else if (arg == "--no-validate") options.validate = false;
    else if (arg == "--no-reset") options.resetOnLogon = false;
    else if (arg == "--timeout") options.timeout = std::stod(value());
    else if (arg == "-h" || arg == "--help") { std::cout << kUsage; std::exit(0); }
    else throw std::invalid_argument("unknown option " + arg);
  }
  if (options.port <= 0 || options.target.empty())
    throw std::invalid_argument("--port and --target are required");
  if (options.sessions < 1 || options.window < 1 || options.orders < 1 || options.warmup < 0 ||
      options.symbols.empty())
    throw std::invalid_argument("--sessions, --window and --orders must be at least 1");
  return true;
}

// CPU time (user + system) this process has used so far.
double cpuSeconds()
{
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

json percentiles(std::vector<std::int64_t>& latencies)
{
  if (latencies.empty())
    return json::object();
  std::sort(latencies.begin(), latencies.end());
  auto at = [&](double q) {
    std::size_t rank = static_cast<std::size_t>(q * static_cast<double>(latencies.size() - 1) + 0.5);
    return static_cast<double>(latencies[rank]) / 1000.0;
  };
  double sum = 0;
  for (auto value : latencies)
    sum += static_cast<double>(value);
  return {{"min", at(0)}, {"p50", at(0.5)}, {"p90", at(0.9)}, {"p99", at(0.99)},
          {"max", at(1)}, {"mean", sum / static_cast<double>(latencies.size()) / 1000.0}};
}

} // namespace

int main(int argc, char** argv)
{
  Options options;
  try
  {
    parse(argc, argv, options);
  }
  catch (const std::exception& error)
  {
    std::cerr << "qf_load: " << error.what() << "\n" << kUsage;
    return 2;
  }
  if (options.idPrefix.empty())
    options.idPrefix = std::to_string(
        std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch()).count() % 100000000);

  std::map<std::string, std::string> defaults = {
      {"ConnectionType", "initiator"},
      {"BeginString", options.beginString},
      {"TargetCompID", options.target},
      {"SocketConnectHost", options.host},
      {"SocketConnectPort", std::to_string(options.port)},
      {"SocketNodelay", "Y"},
      {"HeartBtInt", "30"},
      {"ReconnectInterval", "30"},
      {"StartTime", "00:00:00"},
      {"EndTime", "00:00:00"},
      {"ResetOnLogon", options.resetOnLogon ? "Y" : "N"},
      {"PersistMessages", "N"},
      {"UseDataDictionary", options.validate ? "Y" : "N"}};
  for (const auto& item :
       fixwire::dictionarySettings(options.specDir, options.beginString, options.applVerID))
    defaults[item.first] = item.second;
  std::vector<std::map<std::string, std::string>> sessionSections;
  std::vector<std::string> prefixes;
  for (int i = 1; i <= options.sessions; ++i)
  {
    sessionSections.push_back({{"SenderCompID", options.senderPrefix + std::to_string(i)}});
    prefixes.push_back(options.idPrefix + "-" + std::to_string(i) + "-");
  }

  std::vector<std::unique_ptr<Flow>> flows;
  LoadApplication application(options, flows);
  std::unique_ptr<FIX::ThreadedSocketInitiator> initiator;
  FIX::MemoryStoreFactory store;
  try
  {
    std::istringstream stream(fixwire::settingsText(defaults, sessionSections));
    FIX::SessionSettings settings(stream);
    int sessionIndex = 0;
    for (const auto& id : settings.getSessions())
    {
      flows.emplace_back(new Flow());
      Flow& flow = *flows.back();
      flow.id = id;
      flow.orders = workload(options, sessionIndex++);
      flow.sentAt.resize(flow.orders.size());
      flow.answered.assign(flow.orders.size(), 0);
      flow.latencies.reserve(static_cast<std::size_t>(options.orders));
    }
    // Prefix i goes with the session whose SenderCompID ends in i, in settings order.
    std::vector<std::string> ordered;
    for (const auto& flow : flows)
    {
      std::string sender = flow->id.getSenderCompID().getValue();
      int number = std::atoi(sender.c_str() + options.senderPrefix.size());
      ordered.push_back(prefixes[static_cast<std::size_t>(number - 1)]);
    }
    application.index(ordered);
    application.pricePoints();
    initiator.reset(new FIX::ThreadedSocketInitiator(application, store, settings));
    for (auto& flow : flows)
      flow->session = FIX::Session::lookupSession(flow->id);
    initiator->start();
  }
  catch (const std::exception& error)
  {
    std::cerr << "qf_load: " << error.what() << "\n";
    return 2;
  }

  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(options.timeout));
  bool allLoggedOn;
  {
    std::unique_lock<std::mutex> lock(application.mutex);
    allLoggedOn = application.changed.wait_until(
        lock, deadline, [&] { return application.loggedOn == options.sessions; });
  }
  double cpuAtStart = cpuSeconds();
  if (allLoggedOn)
    for (auto& flow : flows)
      application.fill(*flow);
  bool completed = false;
  if (allLoggedOn)
  {
    std::unique_lock<std::mutex> lock(application.mutex);
    completed = application.changed.wait_until(lock, deadline, [&] {
      return application.doneSessions == options.sessions ||
             application.loggedOn < options.sessions;
    }) && application.doneSessions == options.sessions;
  }

  double cpu = cpuSeconds() - cpuAtStart;
  std::vector<std::int64_t> latencies;
  long fills = 0, rejects = 0, execReports = 0, answered = 0;
  Clock::time_point start = Clock::time_point::max(), end{};
  for (auto& flow : flows)
  {
    std::lock_guard<std::mutex> lock(flow->mutex);
    latencies.insert(latencies.end(), flow->latencies.begin(), flow->latencies.end());
    fills += flow->fills;
    rejects += flow->rejects;
    execReports += flow->execReports;
    answered += flow->answeredCount;
    if (flow->firstMeasuredSend != Clock::time_point{})
      start = std::min(start, flow->firstMeasuredSend);
    end = std::max(end, flow->lastMeasuredAnswer);
  }
  double elapsed = end > start ? std::chrono::duration<double>(end - start).count() : 0;
  long measured = static_cast<long>(latencies.size());
  json result = {
      {"tool", "qf_load"},
      {"host", options.host},
      {"port", options.port},
      {"begin_string", options.beginString},
      {"target", options.target},
      {"sessions", options.sessions},
      {"window", options.window},
      {"orders_per_session", options.orders},
      {"warmup_per_session", options.warmup},
      {"seed", options.seed},
      {"cross_pct", options.crossPct},
      {"validate", options.validate},
      {"logged_on", allLoggedOn},
      {"completed", completed},
      {"answered", answered},
      {"measured_orders", measured},
      {"elapsed_s", elapsed},
      {"orders_per_s", elapsed > 0 ? static_cast<double>(measured) / elapsed : 0.0},
      {"latency_us", percentiles(latencies)},
      {"client_cpu_s", cpu},
      {"client_cpu_us_per_order", answered > 0 ? cpu * 1e6 / static_cast<double>(answered) : 0.0},
      {"exec_reports", execReports},
      {"fills", fills},
      {"order_rejects", rejects},
      {"session_rejects", application.sessionRejects.load()},
      {"business_rejects", application.businessRejects.load()}};
  {
    std::lock_guard<std::mutex> lock(application.mutex);
    result["errors"] = application.errors;
  }
  std::cout << fixwire::dump(result) << std::endl;
  // The acceptor learns of the end by the connection closing: a Logout would add a
  // second of QuickFIX timer latency per session and measures nothing.
  std::_Exit(completed ? 0 : 1);
}
