import { Route, Routes } from 'react-router-dom';
import { RequireAccess } from '../../components/RequireAccess';
import WarningsPage from './index';
import WarningPage from './detail';
import WarningStatusPage from './status';

/** /warnings/* (贷后监测预警, SPEC §12): the list, the leaders' status, one warning — the API decides what a person reads and handles. */
export default function WarningRoutes() {
  return (
    <RequireAccess need="canReadWarnings">
      <Routes>
        <Route index element={<WarningsPage />} />
        <Route path="status" element={<WarningStatusPage />} />
        <Route path=":id" element={<WarningPage />} />
      </Routes>
    </RequireAccess>
  );
}
