import { Route, Routes } from 'react-router-dom';
import { RequireAccess } from '../../components/RequireAccess';
import SupplyChainPage from './index';
import ProgrammePage from './ProgrammePage';

/** 供应链金融 (SPEC §12): the programmes and one programme, behind supplychain.read (one route in App.tsx). */
export default function SupplyChainArea() {
  return (
    <RequireAccess need="canReadSupplyChain">
      <Routes>
        <Route index element={<SupplyChainPage />} />
        <Route path=":id" element={<ProgrammePage />} />
      </Routes>
    </RequireAccess>
  );
}
