#pragma once
// The real TaskStatusApi: DescribeTaskStatus over ApiCaller, each call in flight one blocking
// call on one of a bounded set of threads, answers handed back to the scheduler's thread.
//
// The keys are asked of the CredentialProvider for every request (temporary ones are refreshed
// by it). Threads are started as calls need them, up to `max_threads`, and then kept: a handful of
// idle threads cost far less than owning an HTTP stack.
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "taskledger/domain/TaskStatusApi.h"
#include "taskledger/tencent/ApiCaller.h"
#include "taskledger/tencent/CredentialProvider.h"
#include "taskledger/tencent/EndpointResolver.h"

namespace taskledger::tencent {

// CLB's DescribeTaskStatus, the API taskledger polls.
ApiSpec clbDescribeTaskStatus();

// One DescribeTaskStatus call, blocking: the answer parsed (ResponseParser), or an ApiError
// ("InvalidRegion" for a region no host can be built for, without sending anything).
CheckResult describeTaskStatus(ApiCaller& caller, const Credentials& credentials, const EndpointResolver& endpoints,
                               const TaskQuery& query, CallControl* control = nullptr,
                               WriteGate* gate = nullptr);

class TaskStatusClient final : public TaskStatusApi {
 public:
  // `caller` and `credentials` must outlive the client.
  TaskStatusClient(ApiCaller& caller, CredentialProvider& credentials, EndpointResolver endpoints,
                   std::size_t max_threads);
  ~TaskStatusClient() override;  // aborts the calls in flight and joins the threads
  TaskStatusClient(const TaskStatusClient&) = delete;
  TaskStatusClient& operator=(const TaskStatusClient&) = delete;

  void start(Call call) override;
  std::vector<Done> wait(TimePoint deadline) override;
  void abort(CallId id, const std::string& why) override;
  void wake() override;

 private:
  void work();
  CheckResult perform(const Call& call, CallControl& control);

  ApiCaller& caller_;
  CredentialProvider& credentials_;
  const EndpointResolver endpoints_;
  const std::size_t max_threads_;

  std::mutex mutex_;
  std::condition_variable work_cv_;  // a call to start, or the end
  std::condition_variable done_cv_;  // an answer, or wake()
  // protected by mutex_:
  std::deque<Call> queue_;
  std::map<CallId, std::shared_ptr<CallControl>> in_flight_;  // started, not yet collected
  std::vector<Done> done_;
  std::size_t idle_threads_ = 0;
  bool woken_ = false;
  bool ending_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace taskledger::tencent
