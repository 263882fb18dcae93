/**
 * The expressions the probe has `erl_eval` evaluate on the target. Each does its work per
 * process or per table in compiled OTP code (lists:zipwith/3 with `fun erlang:process_info/2`),
 * so that interpretation costs a few calls per expression, never a few per process. Variables
 * in capitals are bound by the caller.
 */

/**
 * The all-process pass: reductions (and, when sorting by them, mailbox or memory) of every
 * process, as two compressed binaries (zlib level 1), the pids' and the infos'. Sent as terms,
 * they would be ten times larger (every pid names its node): their transfer would cost the
 * target more than compressing them, and the probe more than reading the pids' numbers from the
 * binary, and the connection would carry nothing else meanwhile (a DOWN, a kill) while a pass
 * of 100,000 processes went through. The evaluating process (erpc's, gone when the call
 * returns) runs at low priority, so that the node's own work goes first, and takes at once a
 * heap large enough for the lists it builds, about ten words per process: growing to it one
 * garbage collection at a time would copy them over and over.
 */
export const PASS = `
  erlang:process_flag(priority, low),
  erlang:process_flag(min_heap_size, 12 * erlang:system_info(process_count)), erlang:garbage_collect(),
  Ps = erlang:processes(),
  Infos = lists:zipwith(fun erlang:process_info/2, Ps, lists:duplicate(length(Ps), Item)),
  {erlang:term_to_binary(Ps, [{compressed, 1}]), erlang:term_to_binary(Infos, [{compressed, 1}])}.`;

/** process_info of the given pids with the given items (undefined for those that exited). */
export const INFO = 'lists:zipwith(fun erlang:process_info/2, Pids, lists:duplicate(length(Pids), Items)).';

/**
 * Node figures. scheduler_wall_time is switched on for one short window inside this call and off
 * again (the flag is counted per process that set it; the call's process is ours and ends here).
 */
export const STATS = `
  Old = erlang:system_flag(scheduler_wall_time, true),
  W0 = erlang:statistics(scheduler_wall_time),
  receive after SampleMs -> ok end,
  W1 = erlang:statistics(scheduler_wall_time),
  erlang:system_flag(scheduler_wall_time, Old),
  {Up, _} = erlang:statistics(wall_clock),
  {Reds, _} = erlang:statistics(reductions),
  {{input, In}, {output, Out}} = erlang:statistics(io),
  {Up, Reds, erlang:system_info(process_count), erlang:memory(), erlang:statistics(run_queue_lengths), W0, W1, In + Out}.`;

/** The running applications: their masters (from the application controller's table) and the masters' links. */
export const APPLICATIONS = `
  AC = erlang:whereis(application_controller),
  Links = fun(P) -> case erlang:process_info(P, links) of {links, L} -> L; _ -> [] end end,
  {AC, [{A, M, [{L, Links(L)} || L <- Links(M), is_pid(L), L =/= AC]} || [A, M] <- ets:match(ac_tab, {{application_master, '$1'}, '$2'})]}.`;

/** The mailbox (first Limit messages; not read past MaxRead, as reading copies all of it). */
export const MAILBOX = `
  case erlang:process_info(P, message_queue_len) of
    {message_queue_len, N} when N =< MaxRead -> {messages, Ms} = erlang:process_info(P, messages), lists:sublist(Ms, Limit);
    _ -> []
  end.`;

export const STATE = 'sys:get_state(P, TimeoutMs).';

export const DETAIL = `
  case erlang:process_info(P, [monitored_by, dictionary, message_queue_len]) of
    undefined -> undefined;
    I -> I
  end.`;

export const TABLES = `
  {erlang:system_info(wordsize), [{case is_atom(T) of true -> T; false -> list_to_binary(erlang:ref_to_list(T)) end, ets:info(T)} || T <- ets:all()]}.`;

/** A page of a table: its size and its first Offset + Limit objects (the first Offset are dropped). */
export const TABLE_PAGE = `
  T = case Id of <<"#Ref<", _/binary>> -> erlang:list_to_ref(binary_to_list(Id)); _ -> binary_to_existing_atom(Id, utf8) end,
  case ets:info(T, size) of
    undefined -> undefined;
    Size -> case ets:match_object(T, '_', Offset + Limit) of
              '$end_of_table' -> {Size, []};
              {Objects, _} -> {Size, lists:nthtail(min(Offset, length(Objects)), Objects)}
            end
  end.`;

export const IS_RUNNING = 'lists:keymember(App, 1, application:which_applications(1000)).';
