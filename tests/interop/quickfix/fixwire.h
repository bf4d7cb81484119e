// Helpers shared by exsim's QuickFIX peer programs (qf_client, qf_load): splitting a raw
// FIX message into fields, rendering it as one JSON object, building QuickFIX session
// settings, and finding the data dictionaries for a BeginString.
#ifndef EXSIM_QF_FIXWIRE_H
#define EXSIM_QF_FIXWIRE_H

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace fixwire
{

using Field = std::pair<int, std::string>;
using Fields = std::vector<Field>;

// Length fields whose next field is raw data that may contain SOH (FIX 4.2-5.0 data
// types): the pair is (length tag, data tag).
inline const std::map<int, int>& dataFieldLengths()
{
  static const std::map<int, int> lengths = {
    {90, 91}, {93, 89}, {95, 96}, {212, 213}, {348, 349}, {350, 351}, {352, 353},
    {354, 355}, {356, 357}, {358, 359}, {360, 361}, {362, 363}, {364, 365},
    {445, 446}, {618, 619}, {621, 622}};
  return lengths;
}

// Splits `raw` into (tag, value) pairs in wire order. A field that does not parse as
// tag=value ends the split: what came before is returned, so a garbled message still
// shows its readable prefix.
inline Fields split(const std::string& raw)
{
  Fields fields;
  std::size_t pos = 0;
  std::size_t dataLength = std::string::npos;
  int dataTag = 0;
  while (pos < raw.size())
  {
    std::size_t eq = raw.find('=', pos);
    if (eq == std::string::npos || eq == pos)
      break;
    int tag = 0;
    bool digits = true;
    for (std::size_t i = pos; i < eq; ++i)
    {
      if (raw[i] < '0' || raw[i] > '9' || eq - pos > 9) { digits = false; break; }
      tag = tag * 10 + (raw[i] - '0');
    }
    if (!digits)
      break;
    std::size_t end;
    if (tag == dataTag && dataLength != std::string::npos && eq + 1 + dataLength <= raw.size())
      end = eq + 1 + dataLength;
    else
      end = raw.find('\001', eq + 1);
    if (end == std::string::npos)
      end = raw.size();
    std::string value = raw.substr(eq + 1, end - eq - 1);
    auto length = dataFieldLengths().find(tag);
    if (length != dataFieldLengths().end())
    {
      dataTag = length->second;
      dataLength = static_cast<std::size_t>(std::strtoul(value.c_str(), nullptr, 10));
    }
    else
    {
      dataTag = 0;
      dataLength = std::string::npos;
    }
    fields.emplace_back(tag, std::move(value));
    pos = end + 1;
  }
  return fields;
}

inline const std::string* find(const Fields& fields, int tag)
{
  for (const auto& field : fields)
    if (field.first == tag)
      return &field.second;
  return nullptr;
}

// {"dir": "in"|"out", "msg_type": ..., "seq": ..., "fields": [[tag, value], ...], "raw": ...}
inline nlohmann::json toJson(const char* dir, const std::string& raw, const Fields& fields)
{
  nlohmann::json pairs = nlohmann::json::array();
  for (const auto& field : fields)
    pairs.push_back(nlohmann::json::array({field.first, field.second}));
  const std::string* msgType = find(fields, 35);
  const std::string* seq = find(fields, 34);
  nlohmann::json line = {{"dir", dir},
                         {"msg_type", msgType ? *msgType : std::string()},
                         {"seq", seq ? std::strtol(seq->c_str(), nullptr, 10) : 0},
                         {"fields", pairs},
                         {"raw", raw}};
  return line;
}

// Serialises without throwing on bytes that are not UTF-8 (a peer may send anything).
inline std::string dump(const nlohmann::json& value)
{
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Data dictionary files for a session: {DataDictionary} for FIX 4.x, or
// {TransportDataDictionary, AppDataDictionary} for FIXT.1.1 with `applVerID`
// (e.g. "FIX.5.0SP2").
inline std::map<std::string, std::string> dictionarySettings(const std::string& specDir,
                                                             const std::string& beginString,
                                                             const std::string& applVerID)
{
  auto file = [&specDir](std::string version) {
    std::string name;
    for (char c : version)
      if (c != '.')
        name += c;
    return specDir + "/" + name + ".xml";
  };
  if (beginString == "FIXT.1.1")
    return {{"TransportDataDictionary", file(beginString)},
            {"AppDataDictionary", file(applVerID)},
            {"DefaultApplVerID", applVerID}};
  return {{"DataDictionary", file(beginString)}};
}

// One QuickFIX settings file ([DEFAULT] and [SESSION] sections) as text.
inline std::string settingsText(const std::map<std::string, std::string>& defaults,
                                const std::vector<std::map<std::string, std::string>>& sessions)
{
  std::ostringstream text;
  text << "[DEFAULT]\n";
  for (const auto& item : defaults)
    text << item.first << "=" << item.second << "\n";
  for (const auto& session : sessions)
  {
    text << "[SESSION]\n";
    for (const auto& item : session)
      text << item.first << "=" << item.second << "\n";
  }
  return text.str();
}

// UTC now as a FIX UTCTimestamp with milliseconds.
inline std::string utcTimestamp()
{
  auto now = std::chrono::system_clock::now();
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                    now.time_since_epoch()).count() % 1000;
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[64];
  std::snprintf(text, sizeof(text), "%04d%02d%02d-%02d:%02d:%02d.%03d",
                parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
                parts.tm_min, parts.tm_sec, static_cast<int>(millis));
  return text;
}

} // namespace fixwire

#endif
