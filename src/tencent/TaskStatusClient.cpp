#include "taskledger/tencent/TaskStatusClient.h"

#include <Poco/UTF8String.h>

#include "taskledger/domain/Error.h"
#include "taskledger/tencent/ErrorClassifier.h"
#include "taskledger/tencent/ResponseParser.h"

namespace taskledger::tencent {

ApiSpec clbDescribeTaskStatus() { return ApiSpec{"clb", "DescribeTaskStatus", "2018-03-17"}; }

CheckResult describeTaskStatus(ApiCaller& caller, const Credentials& credentials, const EndpointResolver& endpoints,
                               const TaskQuery& query, CallControl* control,
                               WriteGate* gate) {
  CheckResult result;
  ApiRequest request;
  request.api = clbDescribeTaskStatus();
  try {
    request.endpoint = endpoints.resolve(query.region);
  } catch (const Error& e) {
    result.value = makeApiError(kCodeInvalidRegion, e.what());
    return result;
  }
  request.region = query.region;
  // Compact, as the SDKs send it; these exact bytes are hashed into the signature.
  request.payload = "{\"TaskId\":\"" + Poco::UTF8::escape(query.request_id, true) + "\"}";
  result.endpoint_host = request.endpoint.host_header;

  ApiOutcome outcome = caller.call(request, credentials, control, gate);
  result.written_at = outcome.written_at;
  result.latency_ms = outcome.latency_ms;
  if (const auto* error = std::get_if<ApiError>(&outcome.value)) {
    result.value = *error;
  } else {
    const ApiReply& reply = std::get<ApiReply>(outcome.value);
    auto parsed = parseResponse(reply.http_status, reply.body);
    if (auto* answer = std::get_if<StatusAnswer>(&parsed)) {
      result.value = std::move(*answer);
    } else {
      ApiError& error = std::get<ApiError>(parsed);
      if (error.code == kCodeSignatureExpire) {
        error = makeApiError(error.code, clockDifference(reply.date, reply.signed_at) + ": " + error.message,
                             error.api_request_id);
      }
      result.value = std::move(error);
    }
  }
  return result;
}

TaskStatusClient::TaskStatusClient(ApiCaller& caller, CredentialProvider& credentials, EndpointResolver endpoints,
                                   std::size_t max_threads)
    : caller_(caller), credentials_(credentials), endpoints_(std::move(endpoints)),
      max_threads_(std::max<std::size_t>(1, max_threads)) {}

TaskStatusClient::~TaskStatusClient() {
  {
    std::lock_guard lock(mutex_);
    ending_ = true;
    for (auto& [id, control] : in_flight_) control->abort("the run ended");
  }
  work_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void TaskStatusClient::start(Call call) {
  std::lock_guard lock(mutex_);
  in_flight_.emplace(call.id, std::make_shared<CallControl>());
  queue_.push_back(std::move(call));
  if (idle_threads_ < queue_.size() && threads_.size() < max_threads_) {
    threads_.emplace_back([this] { work(); });
  }
  work_cv_.notify_one();
}

std::vector<TaskStatusApi::Done> TaskStatusClient::wait(TimePoint deadline) {
  std::unique_lock lock(mutex_);
  done_cv_.wait_until(lock, clampForWait(deadline), [&] { return !done_.empty() || woken_; });
  woken_ = false;
  std::vector<Done> out;
  out.swap(done_);
  return out;
}

void TaskStatusClient::abort(CallId id, const std::string& why) {
  std::lock_guard lock(mutex_);
  auto it = in_flight_.find(id);
  if (it != in_flight_.end()) it->second->abort(why);
}

void TaskStatusClient::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  done_cv_.notify_all();
}

void TaskStatusClient::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    ++idle_threads_;
    work_cv_.wait(lock, [&] { return ending_ || !queue_.empty(); });
    --idle_threads_;
    if (queue_.empty()) return;  // ending, and nothing left to do
    Call call = std::move(queue_.front());
    queue_.pop_front();
    std::shared_ptr<CallControl> control = in_flight_.at(call.id);
    lock.unlock();
    CheckResult result = perform(call, *control);
    lock.lock();
    in_flight_.erase(call.id);
    done_.push_back({call.id, std::move(result)});
    done_cv_.notify_one();
  }
}

CheckResult TaskStatusClient::perform(const Call& call, CallControl& control) {
  Credentials keys;
  try {
    keys = credentials_.current();
  } catch (const Error& e) {
    // No keys to sign with: nothing else will work either.
    CheckResult result;
    ApiError error = makeApiError("AuthFailure.NoCredentials", e.what());
    result.value = std::move(error);
    return result;
  }
  return describeTaskStatus(caller_, keys, endpoints_, call.query, &control, call.gate.get());
}

}  // namespace taskledger::tencent
